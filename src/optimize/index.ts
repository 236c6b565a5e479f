export { optimize, type OptimizeOptions, type OptimizeResult, type Generation, type OutcomeError } from "./optimize.js";
export { cleanPrompt, hasRepetitionLoop, type CleanResult } from "./clean.js";
export { parseQueryFlags, hasFlags, type QueryFlags, type FlagParse, type FlagSpan, type FlagField, type OnScreenText } from "./flags.js";
export { prepareQuery, readQuery, isPreparedQuery, DEFAULT_MAX_QUERY_CHARS, type PreparedQuery } from "./query.js";
export { PRESETS, resolveSampling, DEFAULT_MAX_TOKENS, type PresetName, type ResolvedSampling } from "./sampling.js";
export { VPO_TEMPLATE_TEXT, vpoTemplate, userTurnTemplate, loadTemplate, type PromptTemplate } from "./template.js";
export { optimizeBatch, type OptimizeBatchOptions, type OptimizeRecord } from "./optimize-batch.js";
export { PromptStream } from "./prompt-stream.js";
