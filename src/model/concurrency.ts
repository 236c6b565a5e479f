import type { ModelSpec } from "./open-model.js";

/** Requests in flight at once against a server: enough to hide its latency, few enough not to swamp a shared one. */
export const SERVER_CONCURRENCY = 8;

/** llama.cpp sequences at once: each holds its own KV cache in memory, so an embedded model gets fewer. */
export const EMBEDDED_CONCURRENCY = 4;

/**
 * How many generations a run keeps in flight when the user does not say: a batch by backend (server or in-process),
 * one query as many as its candidates, at most EMBEDDED_CONCURRENCY.
 */
export function defaultConcurrency(spec: Pick<ModelSpec, "baseUrl">, work: { batch: boolean; candidates?: number }): number {
  if (work.batch) return spec.baseUrl ? SERVER_CONCURRENCY : EMBEDDED_CONCURRENCY;
  return Math.min(work.candidates ?? 1, EMBEDDED_CONCURRENCY);
}
