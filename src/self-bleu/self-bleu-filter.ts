import { SelfBleuIndex } from "./self-bleu-index.js";
import { TokenCorpus } from "./token-corpus.js";
import { emptyResult, type SelfBleuProgress, type SelfBleuResult } from "./types.js";

export interface SelfBleuFilterOptions {
  onProgress?: (progress: SelfBleuProgress) => void;
  signal?: AbortSignal;
  /** Yield to the event loop this often so timers (progress, signals) still run (default 500 ms). */
  sliceMs?: number;
}

export function assertThreshold(threshold: number): void {
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`self-BLEU threshold must be in (0, 1], got ${threshold}`);
}

/**
 * Walks the corpus in order and keeps a query unless its BLEU against an already-kept query is ≥ τ. Exactly the
 * naive definition (same decisions, same earliest match, same scores), computed through a SelfBleuIndex.
 */
export async function selfBleuFilter(corpus: TokenCorpus, threshold: number, options: SelfBleuFilterOptions = {}): Promise<SelfBleuResult> {
  assertThreshold(threshold);
  const { sliceMs = 500 } = options;
  const result = emptyResult(corpus.size);
  const index = new SelfBleuIndex(corpus, threshold);
  let sliceStart = Date.now();
  for (let doc = 0; doc < corpus.size; doc++) {
    const similar = index.findSimilar(doc);
    if (similar) {
      result.similarTo[doc] = similar.similarTo;
      result.bleu[doc] = similar.bleu;
    } else {
      index.add(doc);
      result.kept++;
    }
    if ((doc & 1023) === 1023 && Date.now() - sliceStart >= sliceMs) {
      options.onProgress?.({ done: doc + 1, total: corpus.size, kept: result.kept });
      await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
      sliceStart = Date.now();
    }
  }
  options.onProgress?.({ done: corpus.size, total: corpus.size, kept: result.kept });
  result.verified = index.verified;
  return result;
}

/** The same filter over plain texts (library convenience and tests). */
export async function selfBleuFilterTexts(texts: readonly string[], threshold: number, options?: SelfBleuFilterOptions): Promise<SelfBleuResult> {
  const corpus = new TokenCorpus();
  for (const text of texts) corpus.add(text);
  return selfBleuFilter(corpus, threshold, options);
}
