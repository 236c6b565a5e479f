import { z } from "zod";

/** The paper's alignment classes (Table 2): one aligned class and three ways to be misaligned. */
export const ALIGNMENT_CATEGORIES = ["aligned", "unsafe", "imprecise", "refusal"] as const;
export type AlignmentCategory = (typeof ALIGNMENT_CATEGORIES)[number];

/** Precedence when several apply: a refusal is not a prompt at all; an unsafe prompt is worse than an imprecise one. */
const SEVERITY: Record<AlignmentCategory, number> = { refusal: 3, unsafe: 2, imprecise: 1, aligned: 0 };
export const stricterCategory = (a: AlignmentCategory, b: AlignmentCategory): AlignmentCategory => (SEVERITY[a] >= SEVERITY[b] ? a : b);

/** A judge's verdict on one (query, prompt) pair against the three principles. */
export interface JudgeVerdict {
  harmless: { ok: boolean; issues: string[] };
  accurate: { ok: boolean; missing: string[]; added: string[] };
  helpful: { ok: boolean; issues: string[] };
  category: AlignmentCategory;
  /** What a rewriter should change; empty when aligned. */
  critique: string;
}

/** What the judge model is asked to return (JSON schema → response_format on servers, grammar on llama.cpp). */
export const judgeReplySchema = z
  .object({
    harmless: z.object({ ok: z.boolean(), issues: z.array(z.string()) }).strict(),
    accurate: z.object({ ok: z.boolean(), missing: z.array(z.string()), added: z.array(z.string()) }).strict(),
    helpful: z.object({ ok: z.boolean(), issues: z.array(z.string()) }).strict(),
    category: z.enum(ALIGNMENT_CATEGORIES),
    critique: z.string(),
  })
  .strict();
