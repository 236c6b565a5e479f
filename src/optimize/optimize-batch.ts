import { optimize, type OptimizeOptions, type OptimizeResult } from "./optimize.js";
import { runBatch, type BatchOptions, type BatchSummary } from "../batch/run-batch.js";

/** One line of `vpo optimize --input … --output …`. */
export type OptimizeRecord = OptimizeResult & { index: number; line?: number; id?: string | number };

export interface OptimizeBatchOptions extends Omit<BatchOptions<OptimizeRecord>, "process"> {
  optimize: Omit<OptimizeOptions, "signal">;
}

/** `optimize` over a query file into a resumable JSONL file (see runBatch). */
export function optimizeBatch(options: OptimizeBatchOptions): Promise<BatchSummary> {
  return runBatch<OptimizeRecord>({
    ...options,
    process: async (item, signal) => {
      const result = await optimize(item.query, { ...options.optimize, signal });
      return { index: item.index, ...(item.line ? { line: item.line } : {}), ...(item.id !== undefined ? { id: item.id } : {}), ...result };
    },
  });
}
