import { describe, expect, it } from "vitest";
import { checklistScore, loadChecklist } from "./checklist.js";
import { dominates, qualifiesAsVideoPair, selectVideoPair, selectVideoPairs, type ScoredCandidate } from "./select-video-pairs.js";
import type { Answer } from "./types.js";

const checklist = loadChecklist();
const weights = checklist.weights;
/** 64 answers: "yes" at the given question numbers (1-based), "no" elsewhere. */
const yesAt = (...ids: number[]): Answer[] => weights.map((_, i) => (ids.includes(i + 1) ? "yes" : "no"));
const candidate = (index: number, answers: Answer[]): ScoredCandidate => ({ index, prompt: `p${index}`, answers, score: checklistScore(checklist, answers) });
// Question 4 weighs 1.1418, question 1 0.9544, question 2 0.2524, question 3 0 (zero weight).
const w = (id: number) => weights[id - 1]!;

describe("the shipped VisionReward checklist", () => {
  it("has 64 questions with 29 non-zero weights summing to 6.277, and fills [[prompt]] in questions 1-4", () => {
    expect(checklist.questions).toHaveLength(64);
    expect(weights.filter((x) => x !== 0)).toHaveLength(29);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(6.277, 3);
    expect(checklistScore(checklist, yesAt(1, 4))).toBeCloseTo(0.9543901856422174 + 1.141818673357406, 12);
  });
});

describe("dominates", () => {
  it("needs at least as good everywhere and better somewhere", () => {
    expect(dominates(yesAt(1, 2), yesAt(1))).toBe(true);
    expect(dominates(yesAt(1), yesAt(1))).toBe(false); // a tie is not dominance
    expect(dominates(yesAt(1, 2), yesAt(3))).toBe(false); // better on 1 and 2, worse on 3
    expect(dominates(yesAt(1), yesAt(1).slice(0, 10))).toBe(false);
  });
});

describe("selectVideoPair (dominance AND gap > 0.5)", () => {
  it("makes no pair from identical answers (a tie)", () => {
    expect(selectVideoPair([candidate(0, yesAt(1, 4)), candidate(1, yesAt(1, 4))])).toBeUndefined();
  });

  it("makes no pair from different answers with equal scores", () => {
    // Question 3 has weight 0: candidate 0 dominates candidate 1 but the scores are equal.
    const a = candidate(0, yesAt(1, 3, 4));
    const b = candidate(1, yesAt(1, 4));
    expect(dominates(a.answers!, b.answers!)).toBe(true);
    expect(a.score).toBe(b.score);
    expect(selectVideoPair([a, b])).toBeUndefined();
  });

  it("makes no pair from dominance without the gap", () => {
    const a = candidate(0, yesAt(1, 2)); // gap = w(2) = 0.252
    const b = candidate(1, yesAt(1));
    expect(dominates(a.answers!, b.answers!)).toBe(true);
    expect(a.score - b.score).toBeCloseTo(w(2), 12);
    expect(selectVideoPair([a, b])).toBeUndefined();
  });

  it("makes no pair from a gap without dominance", () => {
    const a = candidate(0, yesAt(1, 4)); // 2.096
    const b = candidate(1, yesAt(2)); // 0.252: better on question 2
    expect(a.score - b.score).toBeGreaterThan(0.5);
    expect(dominates(a.answers!, b.answers!)).toBe(false);
    expect(selectVideoPair([a, b])).toBeUndefined();
  });

  it("pairs dominance with a gap above 0.5, chosen first", () => {
    const a = candidate(0, yesAt(1));
    const b = candidate(1, yesAt(1, 4)); // gap = w(4) = 1.14
    expect(selectVideoPair([a, b])).toMatchObject({ chosen: { index: 1 }, rejected: { index: 0 } });
    expect(selectVideoPair([a, b])!.gap).toBeCloseTo(w(4), 12);
  });

  it("requires a gap strictly above the threshold", () => {
    const at = (index: number, score: number): ScoredCandidate => ({ index, prompt: `p${index}`, score });
    expect(qualifiesAsVideoPair(at(0, 1.5), at(1, 1.0))).toBe(false);
    expect(qualifiesAsVideoPair(at(0, 1.5000001), at(1, 1.0))).toBe(true);
  });

  it("takes the first qualifying pair in candidate order by default, the widest with max-margin, one per query", () => {
    const c = [candidate(0, yesAt(1)), candidate(1, yesAt(1, 4)), candidate(2, yesAt()), candidate(3, yesAt(1, 2, 4))];
    // Official order: chosen scanned first. Candidate 0 (0.95) dominates 2 (0) with gap 0.95 > 0.5.
    expect(selectVideoPair(c)).toMatchObject({ chosen: { index: 0 }, rejected: { index: 2 } });
    expect(selectVideoPair(c, { policy: "max-margin" })).toMatchObject({ chosen: { index: 3 }, rejected: { index: 2 } });
    const many = selectVideoPairs([
      { query: "q0", candidates: c },
      { query: "q1", candidates: [candidate(0, yesAt(1)), candidate(1, yesAt(1))] },
    ]);
    expect(many.map((m) => m.query)).toEqual(["q0"]);
  });

  it("uses the gap rule alone for scalar rewards and never pairs scalar with checklist rewards", () => {
    const s = (index: number, score: number): ScoredCandidate => ({ index, prompt: `p${index}`, score });
    expect(selectVideoPair([s(0, 0.2), s(1, 0.9)])).toMatchObject({ chosen: { index: 1 }, rejected: { index: 0 } });
    expect(selectVideoPair([s(0, 0.2), s(1, 0.6)])).toBeUndefined();
    expect(selectVideoPair([s(0, 0), candidate(1, yesAt(1, 4))])).toBeUndefined();
  });
});
