import type { OptimizeBatchOptions, OptimizeRecord } from "../optimize/optimize-batch.js";
import { runBatch, type BatchSummary } from "../batch/run-batch.js";
import { guardedOptimize, type GuardOptions } from "./guarded-optimize.js";

export interface GuardedOptimizeBatchOptions extends Omit<OptimizeBatchOptions, "optimize"> {
  optimize: Omit<GuardOptions, "signal">;
}

/** `vpo optimize --guard --input … --output …`: guardedOptimize over a query file, resumable like optimizeBatch. */
export function guardedOptimizeBatch(options: GuardedOptimizeBatchOptions): Promise<BatchSummary> {
  return runBatch<OptimizeRecord>({
    ...options,
    process: async (item, signal) => {
      const result = await guardedOptimize(item.query, { ...options.optimize, signal });
      return { index: item.index, ...(item.line ? { line: item.line } : {}), ...(item.id !== undefined ? { id: item.id } : {}), ...result };
    },
  });
}
