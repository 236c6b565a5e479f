import type { JSONSchema7 } from "@ai-sdk/provider";
import { z } from "zod";
import { AbortedError, errorRecord } from "../errors.js";
import { readJsonObjects } from "../model/reply-json.js";
import { addUsage, type TextModel, type Usage } from "../model/types.js";
import type { OutcomeError } from "../optimize/optimize.js";

const MAX_TERMS = 12;

const reply = z.object({ terms: z.array(z.string().trim().min(1).max(80)).min(1).max(MAX_TERMS) });

export const NEGATIVES_JSON_SCHEMA = z.toJSONSchema(z.object({ terms: z.array(z.string()).min(1).max(MAX_TERMS) }).strict()) as JSONSchema7;

export const NEGATIVES_INSTRUCTIONS = `You help a text-to-video model avoid its typical failures on one scene.
List 3 to ${MAX_TERMS} short terms (two to four words each) for its negative prompt: visual artefacts and failure modes this particular scene is likely to show (for a pianist: "extra fingers", "fused fingers", "warped keyboard"; for a crowd: "merged bodies", "duplicated faces").
Never list anything the scene needs or describes, and no generic words such as "bad".
Answer with JSON only: {"terms": ["…", "…"]}

Scene:
`;

export interface GeneratedNegatives {
  terms: string[];
  /** Why there are no terms. */
  error?: OutcomeError;
}

/**
 * Content-specific negative terms from a model (structured output), for `--negatives generate`. A failed or
 * unreadable reply gives no terms and the reason, never a guess. Throws only on abort.
 */
export async function generateNegativeTerms(model: TextModel, prompt: string, usage: Usage, signal?: AbortSignal): Promise<GeneratedNegatives> {
  try {
    const answer = await model.generate({
      messages: [{ role: "user", content: `${NEGATIVES_INSTRUCTIONS}${prompt}` }],
      sampling: { temperature: 0, maxTokens: 256 },
      jsonSchema: NEGATIVES_JSON_SCHEMA,
      signal,
    });
    addUsage(usage, answer.usage);
    for (const object of readJsonObjects(answer.text)) {
      const parsed = reply.safeParse(object);
      if (parsed.success) return { terms: parsed.data.terms };
    }
    return { terms: [], error: { code: "model-output", reason: "unparseable", message: 'the negative-terms reply held no {"terms": [...]} list', raw: answer.text.slice(0, 2000) } };
  } catch (error) {
    if (error instanceof AbortedError || signal?.aborted) throw new AbortedError();
    return { terms: [], error: errorRecord(error) };
  }
}
