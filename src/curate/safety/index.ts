export type { CurationScreen, SafetySource, SafetyStatus, SafetyVerdict } from "./types.js";
export { buildSafetyPool, type SafetyEntry, type SafetyPool, type SafetyPoolOptions, type SafetyJudgeRecord } from "./safety-pool.js";
export { judgeSafety, parseSafetyVerdict, safetyVerdictSchema, SAFETY_CATEGORIES } from "./safety-judge.js";
