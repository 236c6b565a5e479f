import { describe, expect, it } from "vitest";
import { joinShots } from "./join-shots.js";
import { shotPlanSchema } from "./shot.js";

const shots = [
  { description: "A lighthouse on a cliff at dusk", action: "waves crash below", camera: "slow aerial push-in.", duration: 2 },
  { description: "The lamp turns on.", action: "its beam sweeps the sea", camera: "close-up", duration: 1.25 },
];

describe("joinShots", () => {
  it("writes one line per shot with summed times, in the default syntax", () => {
    expect(joinShots(shots)).toBe(
      "Shot 1 (0-2s, camera: slow aerial push-in): A lighthouse on a cliff at dusk. Action: waves crash below.\nShot 2 (2-3.3s, camera: close-up): The lamp turns on. Action: its beam sweeps the sea.",
    );
  });

  it("takes a target's template and separator, and never reads $ patterns in model text", () => {
    expect(joinShots([{ ...shots[0]!, description: "A sign: $& $1 off" }], { syntax: "<{index}|{duration}s> {description}", separator: " | " })).toBe("<1|2s> A sign: $& $1 off.");
    expect(() => joinShots(shots, { syntax: "Shot {index}" })).toThrow("a shot syntax needs a {description} placeholder");
  });
});

describe("shotPlanSchema", () => {
  it("wants exactly the shots asked for, each with a positive duration of at most a minute", () => {
    expect(shotPlanSchema(2).safeParse({ shots }).success).toBe(true);
    expect(shotPlanSchema(3).safeParse({ shots }).success).toBe(false);
    expect(shotPlanSchema(2).safeParse({ shots: [shots[0], { ...shots[1], duration: 0 }] }).success).toBe(false);
    expect(shotPlanSchema(2).safeParse({ shots: [shots[0], { ...shots[1], camera: " " }] }).success).toBe(false);
  });
});
