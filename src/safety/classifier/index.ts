export { classifySafety, CLASSIFIER_SPECS, type ClassifyOptions } from "./classify-safety.js";
export { classifierVerdict } from "./classifier-verdict.js";
export { detectClassifierFormat, resolveClassifierFormat } from "./detect-format.js";
export { CLASSIFIER_CATEGORY_MAPS, CLASSIFIER_ONLY_CATEGORIES, mapLabels } from "./categories.js";
export { parseQwen3guard, qwen3guardInstructions } from "./qwen3guard.js";
export { parseLlamaguard3, llamaguard3Instructions, LLAMAGUARD3_CATEGORIES } from "./llamaguard3.js";
export { parseShieldgemmaAnswer, shieldgemmaInstructions, SHIELDGEMMA_POLICIES } from "./shieldgemma.js";
export {
  CLASSIFIER_FORMATS,
  SAFETY_LEVELS,
  type ClassifierFormat,
  type ClassifierFormatSpec,
  type ClassifierPromptStyle,
  type ClassifierRequest,
  type ClassifierVerdict,
  type ClassifyResult,
  type SafetyLevel,
} from "./types.js";
