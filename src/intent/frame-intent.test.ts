import { describe, expect, it } from "vitest";
import { selectBest } from "../select/select-best.js";
import { checkIntent, queryIntent, withCaption } from "./check-intent.js";
import { parseQuery } from "./parse-query.js";

const QUERY = "a golden retriever starts running toward the camera";
const CAPTION = "A golden retriever with a red collar sits on green grass in a sunny park.";
// An image-to-video prompt: the motion from the frame, without re-describing the dog the frame shows.
const MOTION = "It springs up and sprints toward the camera, ears flapping, the camera tracking backward.";

describe("the intent check with a first frame's caption", () => {
  it("counts a query item the prompt leaves to the frame as kept, and never requires what only the frame shows", () => {
    const alone = checkIntent(queryIntent(QUERY), MOTION);
    expect(alone.passed).toBe(false);
    expect(alone.requiredMissing).toEqual(["golden", "retriever"]);

    const framed = checkIntent(withCaption(queryIntent(QUERY), CAPTION), MOTION);
    expect(framed.passed).toBe(true);
    expect(framed.requiredMissing).toEqual([]);
    expect(framed.items.find((i) => i.text === "retriever")).toMatchObject({ status: "kept", keptBy: "frame" });
    expect(framed.frame).toEqual({ caption: CAPTION, shownByFrame: ["golden", "retriever"], notRequired: ["red", "collar", "sits", "green", "grass", "sunny", "park"] });
    // Only the query's items are counted: the caption's seven add nothing to coverage or to what is missing.
    expect(framed.items.map((i) => i.text)).toEqual(alone.items.map((i) => i.text));
    expect(framed.missing).toEqual(["starts"]);
  });

  it("still finds an item neither the prompt nor the frame has", () => {
    const framed = checkIntent(withCaption(queryIntent("three dogs start running toward the camera"), CAPTION), MOTION);
    expect(framed.requiredMissing).toContain("three");
    expect(framed.passed).toBe(false);
  });

  it("reaches selection: the checks of each candidate say what the frame showed, the selection what it did not require", async () => {
    const redescribed = `A golden retriever starts running toward the camera across the park.`;
    const selection = await selectBest(QUERY, [MOTION, redescribed], { method: "checks", image: { data: new Uint8Array(), mediaType: "image/png", caption: CAPTION } });
    expect(selection.candidates[0]!.scores.checks).toMatchObject({ intentPassed: true, shownByFrame: ["golden", "retriever"], requiredMissing: [] });
    expect(selection.candidates[1]!.scores.checks.shownByFrame).toBeUndefined();
    expect(selection.frame).toEqual({ caption: CAPTION, notRequired: ["red", "collar", "sits", "green", "grass", "sunny", "park"] });
    const without = await selectBest(QUERY, [MOTION, redescribed], { method: "checks" });
    expect(without.candidates[0]!.scores.checks.intentPassed).toBe(false);
    expect(without.frame).toBeUndefined();
    expect(parseQuery(QUERY, { caption: CAPTION }).intent.frame?.caption).toBe(CAPTION);
  });
});
