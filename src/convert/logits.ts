/**
 * Next-token distributions from a GGUF in llama.cpp (node-llama-cpp's controlled evaluation), and the measures used
 * to compare two files' distributions.
 */
import type { Token } from "node-llama-cpp";
import type { GpuSetting } from "../config.js";
import { ModelLoadError } from "../errors.js";
import { defaultLlamaThreads } from "../model/llama/default-threads.js";

export interface DistributionOptions {
  threads?: number;
  gpu?: GpuSetting;
}

/**
 * Evaluates `tokens` once and returns the full next-token probability vector after each of `positions`. The KV cache
 * is kept in f32 so the comparison sees the weights' precision, not the cache's.
 */
export async function nextTokenDistributions(path: string, tokens: number[], positions: number[], options: DistributionOptions = {}): Promise<Float64Array[]> {
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  const gpu = options.gpu === undefined || options.gpu === "cpu" ? false : options.gpu === "auto" ? "auto" : options.gpu;
  const llama = await getLlama({ gpu, logLevel: LlamaLogLevel.error });
  try {
    const model = await llama.loadModel({ modelPath: path }).catch((error: unknown) => {
      throw new ModelLoadError(`cannot load ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
    const context = await model.createContext({
      contextSize: Math.max(256, tokens.length + 8),
      threads: options.threads ?? defaultLlamaThreads(),
      experimentalKvCacheKeyType: "F32",
      experimentalKvCacheValueType: "F32",
    });
    const sequence = context.getSequence();
    const wanted = new Set(positions);
    type Input = Parameters<typeof sequence.controlledEvaluate>[0][number];
    const input = tokens.map((token, i): Input => (wanted.has(i) ? [token as Token, { generateNext: { probabilities: true } }] : (token as Token)));
    const results = await sequence.controlledEvaluate(input);
    const out = positions.map((p) => {
      const probabilities = results[p]?.next?.probabilities;
      if (!probabilities) throw new ModelLoadError(`${path}: llama.cpp returned no probabilities at position ${p}`);
      // With no sampling options llama.cpp returns the whole vocabulary's softmax.
      const dist = new Float64Array(probabilities.size);
      for (const [token, prob] of probabilities) dist[token] = prob;
      return dist;
    });
    await context.dispose();
    await model.dispose();
    return out;
  } finally {
    await llama.dispose();
  }
}

export interface DistributionAgreement {
  /** KL(reference ‖ candidate) in nats. */
  kl: number;
  /** Largest absolute difference of any token's probability. */
  maxAbs: number;
  /** Whether the most likely token is the same. */
  sameTop: boolean;
}

export function compareDistributions(reference: ArrayLike<number>, candidate: ArrayLike<number>): DistributionAgreement {
  let kl = 0;
  let maxAbs = 0;
  let refTop = 0;
  let candTop = 0;
  const n = Math.min(reference.length, candidate.length);
  for (let i = 0; i < n; i++) {
    const p = reference[i]!;
    const q = candidate[i]!;
    if (p > 0) kl += p * Math.log(p / Math.max(q, 1e-30));
    maxAbs = Math.max(maxAbs, Math.abs(p - q));
    if (p > reference[refTop]!) refTop = i;
    if (q > candidate[candTop]!) candTop = i;
  }
  return { kl: Math.max(0, kl), maxAbs, sameTop: refTop === candTop };
}
