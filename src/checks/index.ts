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
export { normalizeText, type NormalizedText } from "./normalize.js";
export { detectRefusal, type RefusalCheck } from "./detect-refusal.js";
export { checkIntent, queryIntent, type IntentCheck, type IntentCheckOptions, type IntentItemStatus, type QueryIntent } from "./check-intent.js";
export { extractIntent, type IntentItem, type IntentKind } from "./intent-items.js";
export { redactUnsafe, type Redaction } from "./redact.js";
