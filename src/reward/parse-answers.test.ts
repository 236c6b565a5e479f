import { describe, expect, it } from "vitest";
import { parseChecklistAnswers, toAnswer } from "./parse-answers.js";

describe("parseChecklistAnswers", () => {
  it("reads JSON in its usual shapes", () => {
    expect(parseChecklistAnswers('{"answers": ["yes", "No", "YES"]}', 3)).toEqual(["yes", "no", "yes"]);
    expect(parseChecklistAnswers('Sure!\n```json\n["yes","no"]\n```', 2)).toEqual(["yes", "no"]);
    expect(parseChecklistAnswers('Here you go: {"1": "yes", "2": false} hope it helps', 2)).toEqual(["yes", "no"]);
  });

  it("reads numbered lines", () => {
    expect(parseChecklistAnswers("1. Yes\n2) no\nQ3: yes\n**4** - No.", 4)).toEqual(["yes", "no", "yes", "no"]);
    expect(parseChecklistAnswers("1. Is the video clear? Yes\n2. Is it stable? No", 2)).toEqual(["yes", "no"]);
  });

  it("reads a bare yes/no for one question, like VisionReward's first token", () => {
    expect(parseChecklistAnswers("Yes, the video shows a cat.", 1)).toEqual(["yes"]);
  });

  it("rejects missing, extra and non-yes/no answers", () => {
    expect(parseChecklistAnswers('{"answers": ["yes"]}', 2)).toBeUndefined();
    expect(parseChecklistAnswers('{"answers": ["yes", "maybe"]}', 2)).toBeUndefined();
    expect(parseChecklistAnswers("1. yes\n3. no", 3)).toBeUndefined();
    expect(parseChecklistAnswers("I cannot see any video.", 1)).toBeUndefined();
    expect(toAnswer("perhaps")).toBeUndefined();
  });
});
