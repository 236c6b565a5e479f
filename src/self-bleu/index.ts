export { tokenize, hasLetterOrDigit } from "./tokenize.js";
export { bleuFromCounts, bleuUpperBound } from "./bleu.js";
export { naiveSelfBleu } from "./naive.js";
export { TokenCorpus } from "./token-corpus.js";
export { SelfBleuIndex, type SimilarQuery } from "./self-bleu-index.js";
export { selfBleuFilter, selfBleuFilterTexts, assertThreshold, type SelfBleuFilterOptions } from "./self-bleu-filter.js";
export type { SelfBleuResult, SelfBleuProgress } from "./types.js";
