/**
 * vpo: aligned video prompt optimization. The public library API, as the README's "Library" section documents it:
 * what the CLI commands (and any service or worker) call, with their option and result types. Internals (readers,
 * parsers, backend classes, the run store) are not exported; a name added here gets its README line too.
 */

// Errors, environment defaults, logging
export * from "./errors.js";
export { env, type GpuSetting } from "./config.js";
export { createLogger, silentLogger, type Logger, type LoggerOptions, type LogLevel } from "./util/logger.js";

// Models: the one generation seam (HTTP server, in-process GGUF, or the cached default)
export { openModel, type ModelSpec } from "./model/open-model.js";
export type { ChatMessage, GenerateRequest, GenerateResult, ModelInfo, Sampling, TextModel, Usage } from "./model/types.js";

// Optimizing queries (`vpo optimize`)
export { optimize, type OptimizeOptions, type OptimizeResult } from "./optimize/optimize.js";
export { optimizeBatch, type OptimizeBatchOptions, type OptimizeRecord } from "./optimize/optimize-batch.js";
export { vpoTemplate, loadTemplate, type PromptTemplate } from "./optimize/template.js";
export type { PresetName } from "./optimize/sampling.js";
export type { QueryFlags } from "./optimize/flags.js";

// Prompts that fit their video model: protected terms, output language, negative prompt, structured and multi-shot output
export type { PromptShapeOptions, ShapedFields } from "./optimize/shape-options.js";
export { repairPrompt, type RepairOutcome } from "./optimize/repair-prompt.js";
export { promptSpec, formatResult, OUTPUT_FORMATS, type PromptSpec, type OutputFormat } from "./optimize/prompt-spec.js";
export { writeBatchSpecs, readBatchSpecs, type BatchSpec } from "./optimize/prompt-spec-file.js";
export type { LanguageReport } from "./optimize/output-language.js";
export { detectLanguage, isInLanguage, type LanguageGuess } from "./text/detect-language.js";
export { findProtectedTerms, parseKeepList, missingTerms, insertTerms, composeNegativePrompt, generateNegativeTerms } from "./terms/index.js";
export type { ProtectedTerm, ProtectedTermReport, NegativePrompt, NegativeTerm, DroppedNegative } from "./terms/index.js";
export { planShots, joinShots, DEFAULT_SHOT_SYNTAX, type Shot } from "./shots/index.js";
// Target profiles and token budgets (`--target`, `vpo targets`)
export type { TargetProfile, TargetSource, TokenizerKind } from "./target/types.js";
export { loadTargets, builtinTargets, readTargetsFile, createTargetRegistry, type TargetRegistry } from "./target/registry.js";
export { openTarget, targetInfo, type TargetSettings, type OpenTargetOptions, type TargetInfo } from "./target/target-settings.js";
export { fitToBudget, type FitResult, type PromptLength } from "./target/fit-budget.js";
export { mapFlagsToTarget, type FlagMapping } from "./target/map-flags.js";
export { openPromptCounter, estimateTokens, type PromptTokenCounter } from "./target/index.js";

// The three principles: safety screen, judge, guard, alignment evaluation (`vpo optimize --guard`, `vpo judge`, `vpo eval`)
export { screenSafety, type SafetyScreenResult } from "./safety/screen-safety.js";
export { judgePrompt, type JudgeOptions, type JudgeResult } from "./critique/judge-prompt.js";
export { judgeBatch, type JudgeBatchOptions, type JudgeRecord } from "./critique/judge-batch.js";
export type { AlignmentCategory } from "./critique/verdict.js";
export { guardedOptimize, type GuardOptions, type GuardPolicy, type GuardReport, type GuardedResult } from "./guard/guarded-optimize.js";
export { guardedOptimizeBatch, type GuardedOptimizeBatchOptions } from "./guard/guarded-optimize-batch.js";
export { evaluateAlignment, type AlignmentRun, type AlignmentSystem, type EvaluateAlignmentOptions } from "./eval/evaluate-alignment.js";
export { checkIntent, type IntentCheck } from "./intent/check-intent.js";
export { parseQuery, type ParsedQuery } from "./intent/parse-query.js";
export { openGuard, type GuardSettings, type OpenedGuard } from "./guard/open-guard.js";
export { openSafety, type SafetySettings } from "./guard/open-safety.js";

// Safety classifiers and the policy file (`--safety-model`, `--safety-policy`)
export { classifySafety, type ClassifyOptions } from "./safety/classifier/classify-safety.js";
export type { ClassifierFormat } from "./safety/classifier/types.js";
export { loadSafetyPolicy, type SafetyPolicy, type SafetyAction } from "./safety/policy/safety-policy.js";

// Evaluation suites: the paper's tables and figures (`vpo eval bench|iterative|pairwise|safety`)
export { evaluateBench, type BenchSystem, type EvaluateBenchOptions, type BenchRun } from "./eval/bench/evaluate-bench.js";
export { evaluateIterative, type EvaluateIterativeOptions } from "./eval/bench/evaluate-iterative.js";
export { buildBenchReport, type BenchReport } from "./eval/bench/bench-report.js";
export { loadSuite, BUILTIN_SUITES, type Suite, type SuiteItem } from "./eval/bench/suite.js";
export { comparePairwise, type PairwiseReport } from "./eval/pairwise/compare-pairwise.js";
export { evaluateSafety, type EvaluateSafetyOptions, type SafetyRun } from "./eval/safety/evaluate-safety.js";
export { writeReports } from "./eval/report/write-reports.js";

// Test-time selection (`vpo optimize -n K --select`) and image-to-video conditioning (`--image`)
export { selectBest } from "./select/select-best.js";
export { selectFromResult, type SelectedResult } from "./select/select-result.js";
export { SELECT_METHODS, type SelectMethod, type SelectOptions, type Selection, type SelectedCandidate } from "./select/types.js";
export { loadImage, type LoadImageOptions, type LoadedImage } from "./image/load-image.js";
export { imageConditioning, type ImageConditioning } from "./image/image-conditioning.js";

// Curating query logs (`vpo curate`)
export { curate, type CurateOptions, type CurateProgress } from "./curate/curate.js";
export type { CurateReport } from "./curate/report.js";
export { selfBleuFilterTexts } from "./self-bleu/self-bleu-filter.js";
export { naiveSelfBleu } from "./self-bleu/naive.js";

// Training data: SFT records and DPO pairs (`vpo data sft|dpo`, `vpo run status`)
export { runSft, type SftRunOptions, type SftRunSummary } from "./pipeline/run-sft.js";
export { runDpo, type DpoRunOptions, type DpoRunSummary } from "./pipeline/run-dpo.js";
export type { RunControl } from "./pipeline/run-control.js";
export type { PipelineProgress } from "./pipeline/progress.js";
export type { PairDataRecord, SftDataRecord } from "./pipeline/records.js";
export { openFeedbackBackends, type FeedbackBackends, type FeedbackSettings } from "./pipeline/feedback-backends.js";
export { openQueueFeedback, queueStatus, runWorker, type QueueFeedback, type QueueFeedbackSettings, type QueueStatus, type RunningWorker, type WorkerSettings } from "./queue/index.js";
export type { VideoBackend } from "./video/types.js";
export type { RewardBackend } from "./reward/types.js";
export { runStatus, type RunStatus } from "./store/status.js";

// Training on an established trainer or fine-tuning API (`vpo train export|sft|dpo`)
export { exportTrainingData, type ExportOptions, type ExportReport } from "./train/export.js";
export { runTraining, planTraining, type TrainingOptions, type TrainingPlan, type TrainingResult } from "./train/run-training.js";
export type { TrainingProgress } from "./train/launch/training-progress.js";
export { checkEngineVersions, EngineVersionError } from "./train/index.js";

// The embedded VPO model (`vpo pull`, `vpo convert`)
export { pullModel, type PullModelOptions, type PullModelResult } from "./pull/pull-model.js";
export { verifyVpoConversion } from "./pull/verify-vpo-conversion.js";
export { convertCheckpoint, type ConvertOptions, type ConvertResult } from "./convert/convert.js";
export type { ConvertType } from "./convert/tensor-plan.js";
