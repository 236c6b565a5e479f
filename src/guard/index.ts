export { guardedOptimize, GUARD_POLICIES, type GuardOptions, type GuardPolicy, type GuardReport, type GuardStep, type GuardedResult } from "./guarded-optimize.js";
export { guardedOptimizeBatch, type GuardedOptimizeBatchOptions } from "./guarded-optimize-batch.js";
export { SafetyStages, type SafetyCheck, type SafetyChecker, type SafetyClassifier, type SafetyReport, type SafetyStage, type SafetyStageOptions } from "./safety-stages.js";
export { openGuard, type GuardSettings, type GuardParts, type OpenedGuard } from "./open-guard.js";
export { openSafety, type SafetySettings, type OpenedSafety } from "./open-safety.js";
