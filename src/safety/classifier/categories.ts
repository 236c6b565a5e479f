import type { ClassifierFormat } from "./types.js";

/**
 * Categories only a model sees (the lexicon's own ids are sexual, borderline-sexual, minors, violence, gore,
 * self-harm, hate, weapons, drugs, extremism, disturbing). A policy file may name any of both lists.
 */
export const CLASSIFIER_ONLY_CATEGORIES = [
  "public-figure",
  "crime",
  "privacy",
  "copyright",
  "political",
  "elections",
  "unethical",
  "advice",
  "jailbreak",
  "code-abuse",
  "harassment",
  "dangerous",
] as const;

/**
 * Each classifier's labels → vpo category ids.
 * - Qwen3Guard-Gen (huggingface.co/Qwen/Qwen3Guard-Gen-4B, "Safety Policy" and the chat template's category list):
 *   Violent, Non-violent Illegal Acts, Sexual Content or Sexual Acts, PII, Suicide & Self-Harm, Unethical Acts,
 *   Politically Sensitive Topics, Copyright Violation, Jailbreak. "Unethical Acts" covers bias, hate speech,
 *   harassment and defamation together, so it stays its own category rather than being read as "hate".
 * - Llama Guard 3 (llama.com/docs/model-cards-and-prompt-formats/llama-guard-3, "Hazard Taxonomy and Policy", the
 *   MLCommons hazards S1–S13 plus S14): S3 and S12 are both sexual; S4 is the child category; S5 Defamation is how a
 *   real person shown degraded reaches it.
 * - ShieldGemma (huggingface.co/google/shieldgemma-2b, "Usage" harm types): Dangerous Content, Harassment, Hate
 *   Speech, Sexually Explicit Information.
 */
export const CLASSIFIER_CATEGORY_MAPS: Record<ClassifierFormat, Record<string, string>> = {
  qwen3guard: {
    Violent: "violence",
    "Non-violent Illegal Acts": "crime",
    "Sexual Content or Sexual Acts": "sexual",
    PII: "privacy",
    "Suicide & Self-Harm": "self-harm",
    "Unethical Acts": "unethical",
    "Politically Sensitive Topics": "political",
    "Copyright Violation": "copyright",
    Jailbreak: "jailbreak",
  },
  llamaguard3: {
    S1: "violence",
    S2: "crime",
    S3: "sexual",
    S4: "minors",
    S5: "public-figure",
    S6: "advice",
    S7: "privacy",
    S8: "copyright",
    S9: "weapons",
    S10: "hate",
    S11: "self-harm",
    S12: "sexual",
    S13: "elections",
    S14: "code-abuse",
  },
  shieldgemma: {
    "Dangerous Content": "dangerous",
    Harassment: "harassment",
    "Hate Speech": "hate",
    "Sexually Explicit Information": "sexual",
  },
};

/** vpo categories for a reply's labels, deduplicated, in label order. */
export function mapLabels(format: ClassifierFormat, labels: string[]): string[] {
  const map = CLASSIFIER_CATEGORY_MAPS[format];
  return [...new Set(labels.map((l) => map[l]).filter((c): c is string => c !== undefined))];
}
