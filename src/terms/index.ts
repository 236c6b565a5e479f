export { findProtectedTerms, parseKeepList, holdsTerm, missingTerms, type ProtectedTerm, type ProtectedSource, type ProtectedTermReport, type KeptHow } from "./protected-terms.js";
export { insertTerms } from "./insert-terms.js";
export { composeNegativePrompt, splitNegativeTerms, negativeKey, type NegativePrompt, type NegativeTerm, type NegativeSource, type DroppedNegative, type ComposeNegativeOptions } from "./negative-prompt.js";
export { generateNegativeTerms, NEGATIVES_INSTRUCTIONS, NEGATIVES_JSON_SCHEMA, type GeneratedNegatives } from "./generate-negatives.js";
