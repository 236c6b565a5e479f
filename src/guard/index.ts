export { guardedOptimize, GUARD_POLICIES, type GuardOptions, type GuardPolicy, type GuardReport, type GuardStep, type GuardedResult } from "./guarded-optimize.js";
export { guardedOptimizeBatch, type GuardedOptimizeBatchOptions } from "./guarded-optimize-batch.js";
export { openGuard, type GuardSettings, type GuardParts, type OpenedGuard } from "./open-guard.js";
