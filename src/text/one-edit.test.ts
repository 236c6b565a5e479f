import { describe, expect, it } from "vitest";
import { oneEditApart } from "./one-edit.js";

describe("oneEditApart", () => {
  it.each([
    ["moition", "motion", "a letter added"],
    ["lanching", "launching", "a letter dropped"],
    ["camer", "camera", "the last letter dropped"],
    ["ae", "ar", "a letter changed"],
    ["woamn", "woman", "two neighbours swapped"],
    ["nge", "neg", "the last two swapped"],
  ])("%s and %s are one typo apart (%s)", (a, b) => {
    expect(oneEditApart(a, b)).toBe(true);
    expect(oneEditApart(b, a)).toBe(true);
  });

  it.each([
    ["motion", "motion", "equal words are no typo"],
    ["motion", "mtoino", "two swaps"],
    ["seed", "sold", "two letters changed"],
    ["fps", "fpsxx", "two letters added"],
    ["neg", "gen", "letters swapped across one"],
  ])("%s and %s are not (%s)", (a, b) => {
    expect(oneEditApart(a, b)).toBe(false);
  });
});
