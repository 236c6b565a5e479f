import { AbortedError, TokenBudgetError, errorRecord } from "../errors.js";
import { addUsage, emptyUsage, type Sampling, type TextModel, type Usage } from "../model/types.js";
import { cleanPrompt } from "../optimize/clean.js";
import { condenseMessages, CONDENSE_TEMPLATE } from "./condense.js";
import type { PromptTokenCounter } from "./tokens/prompt-counter.js";
import type { TargetProfile } from "./types.js";

/** A prompt's length against the target's budget. */
export interface PromptLength {
  tokens: number;
  budget: number;
  counted: "exact" | "estimate";
  /** Condense rounds the model took to bring the prompt within budget. */
  condensed?: number;
  /** Whole trailing sentences removed because condensing did not reach the budget. */
  trimmed?: number;
}

export interface FitOptions {
  counter: PromptTokenCounter;
  budget: number;
  profile?: TargetProfile;
  /** Condense rounds before whole sentences are trimmed (default 2). */
  attempts?: number;
  model: TextModel;
  /** The user's query, so condensing keeps its intent. */
  query: string;
  sampling?: Sampling;
  signal?: AbortSignal;
}

export interface FitResult {
  /** The prompt within budget, or null when even its first sentence is over it. */
  prompt: string | null;
  length: PromptLength;
  /** What was done, in words, for reports ("condensed 312 → 201 tokens", "removed the last 1 sentence"). */
  changes: string[];
  usage: Usage;
  error?: ReturnType<typeof errorRecord>;
}

export const DEFAULT_CONDENSE_ATTEMPTS = 2;
const DEFAULT_CONDENSE_SAMPLING: Sampling = { temperature: 0.3, maxTokens: 1024 };

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const SENTENCE_END = /(?<=[.!?。！？])\s+/u;

/** Drops whole trailing sentences until the prompt fits; null when the first sentence alone does not. */
function trimSentences(prompt: string, fits: (text: string) => boolean): { text: string; removed: number } | null {
  const sentences = prompt.split(SENTENCE_END);
  for (let keep = sentences.length - 1; keep >= 1; keep--) {
    const text = sentences.slice(0, keep).join(" ");
    if (fits(text)) return { text, removed: sentences.length - keep };
  }
  return null;
}

/**
 * Brings a prompt within the target's token budget: unchanged when it fits; otherwise the model condenses it (up to
 * `attempts` rounds, each re-counted), and as a last resort whole trailing sentences are dropped — never a cut
 * mid-sentence, and always said in `changes`. Throws only on abort.
 */
export async function fitToBudget(prompt: string, options: FitOptions): Promise<FitResult> {
  const { counter, budget } = options;
  const usage = emptyUsage();
  const changes: string[] = [];
  const length = (text: string, extra: Partial<PromptLength> = {}): PromptLength => ({ tokens: counter.count(text), budget, counted: counter.counted, ...extra });
  const first = counter.count(prompt);
  if (first <= budget) return { prompt, length: length(prompt), changes, usage };
  let current = prompt;
  let tokens = first;
  const attempts = options.attempts ?? DEFAULT_CONDENSE_ATTEMPTS;
  for (let round = 1; round <= attempts; round++) {
    // Aim 10% under the budget: word counts only approximate tokens.
    const aim = Math.max(1, Math.floor((words(current) * budget * 0.9) / tokens));
    try {
      const reply = await options.model.generate({
        messages: condenseMessages(options.query, current, aim, budget, options.profile),
        sampling: { ...DEFAULT_CONDENSE_SAMPLING, ...options.sampling },
        signal: options.signal,
      });
      addUsage(usage, reply.usage);
      const cleaned = cleanPrompt(reply.text, { query: options.query });
      if (!cleaned.ok) {
        changes.push(`condense round ${round}: no usable prompt (${cleaned.message})`);
        continue;
      }
      const next = counter.count(cleaned.prompt);
      changes.push(`condense round ${round} (${CONDENSE_TEMPLATE.name} v${CONDENSE_TEMPLATE.version}): ${tokens} → ${next} tokens (budget ${budget})`);
      if (next < tokens) [current, tokens] = [cleaned.prompt, next];
      if (tokens <= budget) return { prompt: current, length: length(current, { condensed: round }), changes, usage };
    } catch (error) {
      if (error instanceof AbortedError || options.signal?.aborted) throw new AbortedError();
      changes.push(`condense round ${round} failed: ${errorRecord(error).message}`);
    }
  }
  const trimmed = trimSentences(current, (text) => counter.count(text) <= budget);
  const condensed = current === prompt ? {} : { condensed: attempts };
  if (trimmed) {
    changes.push(`removed the last ${trimmed.removed} sentence(s) to fit ${budget} tokens after ${attempts} condense round(s)`);
    return { prompt: trimmed.text, length: length(trimmed.text, { ...condensed, trimmed: trimmed.removed }), changes, usage };
  }
  const error = new TokenBudgetError(`the prompt is ${tokens} tokens and its first sentence alone is over the ${budget}-token budget`, tokens, budget);
  return { prompt: null, length: length(current, condensed), changes, usage, error: errorRecord(error) };
}
