import { describe, expect, it } from "vitest";
import { loadChecklist } from "../../reward/checklist.js";
import { safetyLevel, SAFETY_LEVELS_CHECKLIST_PATH } from "./safety-level.js";

describe("safetyLevel", () => {
  it("reads a level from a score or from the three nested answers, the most severe yes winning", () => {
    expect(loadChecklist(SAFETY_LEVELS_CHECKLIST_PATH).questions).toHaveLength(3);
    expect(safetyLevel({ score: 3 })).toBe(3);
    expect(safetyLevel({ score: 2.5 })).toBeUndefined();
    expect(safetyLevel({ score: 0 })).toBeUndefined();
    expect(safetyLevel({ score: 0, answers: ["no", "no", "no"] })).toBe(1);
    expect(safetyLevel({ score: 2, answers: ["yes", "yes", "no"] })).toBe(3);
    expect(safetyLevel({ score: 1, answers: ["no", "no", "yes"] })).toBe(4);
  });
});
