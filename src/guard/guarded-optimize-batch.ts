import type { OptimizeBatchOptions, OptimizeBatchSummary, OptimizeRecord } from "../optimize/optimize-batch.js";
import { runBatch } from "../batch/run-batch.js";
import { endpointReport } from "../model/pool/endpoint-report.js";
import { guardedOptimize, type GuardOptions } from "./guarded-optimize.js";

export interface GuardedOptimizeBatchOptions extends Omit<OptimizeBatchOptions, "optimize"> {
  optimize: Omit<GuardOptions, "signal">;
}

/** `vpo optimize --guard --input … --output …`: guardedOptimize over a query file, resumable like optimizeBatch. */
export async function guardedOptimizeBatch(options: GuardedOptimizeBatchOptions): Promise<OptimizeBatchSummary> {
  const summary = await runBatch<OptimizeRecord>({
    ...options,
    process: async (item, signal) => {
      const conditioning = await options.images?.(item.record, signal);
      const caption = conditioning?.image.caption;
      const result = await guardedOptimize(item.query, { ...options.optimize, ...(conditioning ? { template: conditioning.template } : {}), ...(caption ? { caption } : {}), signal });
      return { index: item.index, ...(item.line ? { line: item.line } : {}), ...(item.id !== undefined ? { id: item.id } : {}), ...result, ...(conditioning ? { image: conditioning.image } : {}) };
    },
  });
  const { model, judge, refiner } = options.optimize;
  const endpoints = endpointReport({ optimizer: model, judge, refiner });
  return endpoints ? { ...summary, endpoints } : summary;
}
