import { contentHash } from "../util/stable-json.js";
import type { OptimizerService, OptimizeSettings } from "./optimizer-service.js";

/**
 * The cache key of a deterministic request (a seed is set, or temperature 0): the query plus everything the result
 * depends on (model, template version, sampling, candidates, guard settings and judge). Undefined otherwise.
 */
export function cacheKey(service: OptimizerService, query: string, settings: OptimizeSettings): string | undefined {
  const sampling = service.sampling(settings);
  if (sampling.seed === undefined && sampling.temperature !== 0) return undefined;
  return `optimize:${contentHash({ query, ...(service.identity(settings) as object) })}`;
}
