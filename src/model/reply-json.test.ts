import { describe, expect, it } from "vitest";
import { parseSafetyVerdict } from "../safety/safety-judge.js";
import { parseChecklistAnswers } from "../reward/parse-answers.js";
import { readJsonObjects, readJsonValues } from "./reply-json.js";

describe("one reader for JSON in model replies", () => {
  it("finds objects amid chatter, in fences, single-quoted and cut off", () => {
    expect(readJsonObjects('Sure! {"a": 1} and then ```json\n{"b": 2}\n```')).toEqual([{ b: 2 }]);
    expect(readJsonObjects("Verdict: {'unsafe': True, 'reason': 'gore'}")).toEqual([{ unsafe: true, reason: "gore" }]);
    expect(readJsonObjects('{"category": "aligned", "critique": "fine')).toEqual([{ category: "aligned", critique: "fine" }]);
  });

  it("also finds top-level arrays when asked for values", () => {
    expect(readJsonValues('The answers are ["yes", "no"] as asked.')).toEqual([["yes", "no"]]);
    expect(readJsonObjects('The answers are ["yes", "no"] as asked.')).toEqual([]);
  });

  it("gives the safety judge and the checklist reader the same tolerance", () => {
    expect(parseSafetyVerdict("Here: {'unsafe': True, 'categories': ['gore'], 'reason': 'blood'}")).toEqual({ unsafe: true, categories: ["gore"], reason: "blood" });
    expect(parseChecklistAnswers("Answers: {'answers': ['yes', 'no', 'yes']}", 3)).toEqual(["yes", "no", "yes"]);
  });
});
