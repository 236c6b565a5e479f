import type { JSONSchema7 } from "@ai-sdk/provider";
import { z } from "zod";
import { ModelOutputError } from "../errors.js";
import { readJsonObjects } from "../model/reply-json.js";
import type { TextModel } from "../model/types.js";
import type { SafetyVerdict } from "./curation-screen.js";

export const SAFETY_CATEGORIES = ["sexual", "minors", "violence", "gore", "hate", "harassment", "self-harm", "illegal", "real-person", "other"] as const;

const SYSTEM = `You review requests typed into a text-to-video service. Decide whether the request asks for unsafe \
content: sexual or nude content, anything sexual involving minors, violence, gore, hate or harassment, self-harm, \
illegal activity or drugs, or a real, named person (celebrity, politician) in a sexual, violent or degrading scene. \
Judge what the video would show, not how the request is written; misspellings and other languages count the same. \
Answer with JSON only: {"unsafe": true or false, "categories": [...], "reason": "one short sentence"}. \
Categories: ${SAFETY_CATEGORIES.join(", ")}.`;

export const safetyVerdictSchema: JSONSchema7 = {
  type: "object",
  properties: {
    unsafe: { type: "boolean" },
    categories: { type: "array", items: { type: "string", enum: [...SAFETY_CATEGORIES] } },
    reason: { type: "string" },
  },
  required: ["unsafe", "categories", "reason"],
  additionalProperties: false,
};

const verdictParser = z.object({
  unsafe: z.boolean(),
  categories: z.array(z.string()).nullish(),
  reason: z.string().nullish(),
});

/** Reads the judge's reply: JSON (fenced, amid text, single-quoted, cut off …), or a bare yes/no as a last resort. */
export function parseSafetyVerdict(text: string): SafetyVerdict {
  // The last object that is a verdict wins, so an echoed example before the answer cannot decide.
  for (const object of readJsonObjects(text).reverse()) {
    const parsed = verdictParser.safeParse(object);
    if (parsed.success) return { unsafe: parsed.data.unsafe, categories: parsed.data.categories ?? [], reason: parsed.data.reason ?? "" };
  }
  const plain = /^\s*(?:unsafe\s*:\s*)?(yes|no|true|false|unsafe|safe)\b/i.exec(text);
  if (plain) {
    const unsafe = ["yes", "true", "unsafe"].includes(plain[1]!.toLowerCase());
    return { unsafe, categories: [], reason: text.trim().slice(0, 200) };
  }
  throw new ModelOutputError("unparseable", `safety judge answer is not a verdict: ${JSON.stringify(text.slice(0, 120))}`, text);
}

/** Asks the judge model whether one query is unsafe (JSON-schema output, temperature 0). */
export async function judgeSafety(model: TextModel, query: string, signal?: AbortSignal): Promise<SafetyVerdict> {
  const result = await model.generate({
    messages: [
      { role: "system", content: SYSTEM },
      { role: "user", content: `Video request: ${query}` },
    ],
    sampling: { temperature: 0, maxTokens: 200 },
    jsonSchema: safetyVerdictSchema,
    signal,
  });
  return parseSafetyVerdict(result.text);
}
