import { ModelOutputError, VpoError } from "../../errors.js";
import type { TextModel } from "../../model/types.js";
import type { SafetyVerdict } from "../curation-screen.js";
import { classifySafety } from "./classify-safety.js";
import type { ClassifierFormat, ClassifierPromptStyle } from "./types.js";

/**
 * A classifier's answer in the shape of the curation safety judge's verdict, so the safety pool and the guard use
 * one implementation. Controversial counts as unsafe: the pool collects queries that need a safe rewrite. A failed
 * classification throws, and the pool records it as judge-failed.
 */
export async function classifierVerdict(model: TextModel, format: ClassifierFormat, query: string, options: { style?: ClassifierPromptStyle; signal?: AbortSignal } = {}): Promise<SafetyVerdict> {
  const result = await classifySafety(model, format, query, options);
  const v = result.verdict;
  if (!v) {
    const error = result.error ?? { code: "model-output", message: `${format} classifier gave no verdict` };
    throw error.code === "model-output" ? new ModelOutputError("unparseable", error.message, result.replies.join("\n")) : new VpoError(error.code as VpoError["code"], error.message);
  }
  return { unsafe: v.level !== "safe", categories: v.categories, reason: `${format}: ${v.level}${v.labels.length ? ` (${v.labels.join(", ")})` : ""}` };
}
