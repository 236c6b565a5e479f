export { screenSafety, createSafetyScreen, type SafetyScreen, type SafetyScreenResult, type SafetyMatch, type Obfuscation } from "./screen-safety.js";
export {
  compileLexicon,
  loadLexicon,
  getDefaultLexicon,
  safetyLexiconFileSchema,
  DEFAULT_LEXICON_PATH,
  type CompiledLexicon,
  type SafetyLexiconFile,
  type CategoryInfo,
} from "./safety-lexicon.js";
export { redactUnsafe, type Redaction } from "./redact.js";
export type { CurationScreen, SafetySource, SafetyStatus, SafetyVerdict } from "./curation-screen.js";
export { buildSafetyPool, type SafetyEntry, type SafetyPool, type SafetyPoolOptions, type SafetyJudgeRecord } from "./safety-pool.js";
export { judgeSafety, parseSafetyVerdict, safetyVerdictSchema, SAFETY_CATEGORIES } from "./safety-judge.js";
export * from "./classifier/index.js";
export * from "./policy/index.js";
