export { convertCheckpoint, type ConvertOptions, type ConvertProgress, type ConvertResult } from "./convert.js";
export { CONVERT_TYPES, FILE_TYPE_IDS, planTensors, type ConvertType, type PlannedTensor } from "./tensor-plan.js";
export { readLlamaConfig, parseLlamaConfig, llamaMetadata, llama3RopeFactors, type LlamaHyperParams } from "./llama-config.js";
export { tokenizerMetadata, TokenType, KNOWN_PRE_TOKENIZERS, type TokenizerSummary } from "./tokenizer-metadata.js";
export { Checkpoint, checkpointFiles, SAFETENSORS_INDEX } from "./checkpoint.js";
export { readSafetensorsHeader, type SafetensorsEntry } from "./safetensors.js";
export { quantizeQ8_0, quantizeQ4_0, dequantizeQ8_0, dequantizeQ4_0 } from "./quantize.js";
export { defaultConvertThreads } from "./chunk-pool.js";
export { nextTokenDistributions, compareDistributions, type DistributionAgreement } from "./logits.js";
export {
  verifyConversion,
  checkTokenization,
  checkLogits,
  huggingFaceTokenize,
  llamaCppTokenize,
  KL_TOLERANCE,
  type VerifyOptions,
  type VerifyReport,
  type LogitsAgreement,
  type TokenizationMismatch,
} from "./verify.js";
export { TOKENIZER_EDGE_TEXTS } from "./verify-texts.js";
