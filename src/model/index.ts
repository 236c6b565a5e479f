export type { ChatMessage, FinishReason, GenerateRequest, GenerateResult, ModelInfo, Role, Sampling, TextModel, Usage, BackendKind } from "./types.js";
export { addUsage, emptyUsage } from "./types.js";
export { ModelClient, type ModelClientOptions } from "./client.js";
export { openHttpModel, listServerModels, normalizeBaseUrl, type HttpModelOptions } from "./openai-compatible.js";
export { openLlamaModel, type LlamaModelOptions } from "./llama/open-llama-model.js";
export { LlamaLanguageModel } from "./llama/llama-language-model.js";
export { openModel, withEnvDefaults, isGgufPath, type ModelSpec } from "./open-model.js";
export { defaultConcurrency, SERVER_CONCURRENCY, EMBEDDED_CONCURRENCY } from "./concurrency.js";
export { findDefaultModel, modelsDir, noDefaultModelHelp, pulledModelPath, DEFAULT_MODEL_REPO } from "./default-model.js";
