export { normalizeText, type NormalizedText } from "./normalize.js";
export { decodeEntities } from "./decode-entities.js";
export { detectRefusal, type RefusalCheck } from "./detect-refusal.js";
export { detectLanguage, isInLanguage, dominantScript, scriptOfLanguage, type LanguageGuess } from "./detect-language.js";
export { oneEditApart } from "./one-edit.js";
