import { optimize, type OptimizeOptions, type OptimizeResult } from "./optimize.js";
import { runBatch, type BatchOptions, type BatchSummary } from "../batch/run-batch.js";
import { endpointReport, type EndpointReport } from "../model/pool/endpoint-report.js";
import type { ImageConditioning } from "../image/image-conditioning.js";
import type { ItemImages } from "../image/item-images.js";

/** One line of `vpo optimize --input … --output …`. */
export type OptimizeRecord = OptimizeResult & { index: number; line?: number; id?: string | number; image?: ImageConditioning["image"] };

export interface OptimizeBatchOptions extends Omit<BatchOptions<OptimizeRecord>, "process"> {
  optimize: Omit<OptimizeOptions, "signal">;
  /** Image-to-video: each item's first frame (its `image` field, or one for all; see itemImages). */
  images?: ItemImages;
}

/** A batch's summary, with the per-endpoint counts of the models that are endpoint pools. */
export interface OptimizeBatchSummary extends BatchSummary {
  endpoints?: EndpointReport;
}

/** `optimize` over a query file into a resumable JSONL file (see runBatch). */
export async function optimizeBatch(options: OptimizeBatchOptions): Promise<OptimizeBatchSummary> {
  const summary = await runBatch<OptimizeRecord>({
    ...options,
    process: async (item, signal) => {
      const conditioning = await options.images?.(item.record, signal);
      const result = await optimize(item.query, { ...options.optimize, ...(conditioning ? { template: conditioning.template } : {}), signal });
      return { index: item.index, ...(item.line ? { line: item.line } : {}), ...(item.id !== undefined ? { id: item.id } : {}), ...result, ...(conditioning ? { image: conditioning.image } : {}) };
    },
  });
  const endpoints = endpointReport({ optimizer: options.optimize.model });
  return endpoints ? { ...summary, endpoints } : summary;
}
