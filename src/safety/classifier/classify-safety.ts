import { AbortedError, VpoError } from "../../errors.js";
import { addUsage, emptyUsage, type TextModel } from "../../model/types.js";
import { llamaguard3 } from "./llamaguard3.js";
import { qwen3guard } from "./qwen3guard.js";
import { shieldgemma } from "./shieldgemma.js";
import type { ClassifierFormat, ClassifierFormatSpec, ClassifierPromptStyle, ClassifyResult } from "./types.js";

export const CLASSIFIER_SPECS: Record<ClassifierFormat, ClassifierFormatSpec> = { qwen3guard, llamaguard3, shieldgemma };

export interface ClassifyOptions {
  style?: ClassifierPromptStyle;
  signal?: AbortSignal;
}

/**
 * Asks a safety classifier about one text, in its own prompt format, at temperature 0. A reply that is not in the
 * format, a refusal, a filtered or cut-off reply, or a backend failure is a `failed` result with the reason, never
 * a safe verdict. Aborts propagate.
 */
export async function classifySafety(model: TextModel, format: ClassifierFormat, text: string, options: ClassifyOptions = {}): Promise<ClassifyResult> {
  const spec = CLASSIFIER_SPECS[format];
  const requests = spec.requests(text, options.style ?? "instructions");
  const usage = emptyUsage();
  const replies: string[] = [];
  const base = { format, model: model.info.id, replies, usage };
  try {
    const results = await Promise.all(
      requests.map((r) =>
        model.generate({ messages: r.messages, grammar: r.grammar, sampling: { temperature: 0, maxTokens: r.maxTokens }, signal: options.signal }),
      ),
    );
    for (const r of results) {
      addUsage(usage, r.usage);
      replies.push(r.text);
    }
    const cut = results.find((r) => r.finishReason === "content-filter" || r.finishReason === "error");
    if (cut) return { ...base, status: "failed", error: { code: "model-output", message: `${format} classifier reply ended with finish reason ${cut.finishReason}` } };
    return { ...base, status: "ok", verdict: spec.parse(replies, requests) };
  } catch (error) {
    if (error instanceof AbortedError || options.signal?.aborted) throw error;
    const e = VpoError.isInstance(error) ? error.toJSON() : { code: "model-output", message: error instanceof Error ? error.message : String(error) };
    return { ...base, status: "failed", error: e };
  }
}
