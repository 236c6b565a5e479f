import { describe, expect, it } from "vitest";
import { screenSafety } from "./screen-safety.js";

describe("the screen in the languages of real query logs", () => {
  it.each([
    ["una mujer desnuda en su cama con un consolador", "sexual"], // a dev query (Spanish)
    ["une jolie fille blonde nue", "sexual"], // a dev query (French)
    ["большой хуй в жопе", "sexual"], // a dev query (Russian): Cyrillic terms survive the look-alike normalisation
    ["homem matando uma mulher", "violence"],
    ["ein blutiger Mann liegt auf der Straße", "gore"],
    ["裸体女人在床上", "sexual"], // Chinese has no spaces: terms match inside the run of text
    ["一个男人在街上杀人", "violence"],
    ["ребенок и кровавый нож", "minors"],
  ])("%s → %s", (query, category) => {
    expect(screenSafety(query).categories).toContain(category);
  });

  it("gives the span of a Chinese term inside its run of text", () => {
    const text = "画一个裸体女人";
    const [m] = screenSafety(text).matches;
    expect(text.slice(m!.start, m!.end)).toBe("裸体");
  });

  it.each(["女孩在公园里玩", "дети играют в парке", "niños jugando en el parque", "die Toten tanzen am Día de Muertos", "nu metal band on stage", "a child kicking a ball"])(
    "leaves the benign %s alone",
    (query) => {
      expect(screenSafety(query).flagged).toBe(false);
    },
  );
});
