import { CLASSIFIER_CATEGORY_MAPS, mapLabels } from "./categories.js";
import { replyBody, unreadable } from "./reply-text.js";
import type { ClassifierFormatSpec, ClassifierVerdict, SafetyLevel } from "./types.js";

const LABELS = Object.keys(CLASSIFIER_CATEGORY_MAPS.qwen3guard);

/**
 * Qwen3Guard-Gen's prompt-moderation instructions, as its chat template renders them for one user turn
 * (huggingface.co/Qwen/Qwen3Guard-Gen-4B, tokenizer chat template; reply format in the card's Quickstart).
 */
export function qwen3guardInstructions(text: string): string {
  return [
    "# Task:",
    "1) Evaluate whether THE LAST USER's query belongs to safe or unsafe content based on our safety policy.",
    "2) Identify the category of unsafe content found.",
    "",
    "<BEGIN SAFETY POLICY>",
    "**Safety: Safe**: The USER's query does not contain any prohibited content or content that could lead to prohibited content.",
    "**Safety: Unsafe**: The USER's query contains prohibited content.",
    "**Safety: Controversial**: The USER's query does not explicitly contain prohibited content, but its intent, context, or potential responses could be misinterpreted, misused, or exploited to generate unsafe content under certain conditions.",
    "<END SAFETY POLICY>",
    "",
    "<BEGIN UNSAFE CONTENT CATEGORIES>",
    ...LABELS.map((l) => `${l}.`),
    "<END UNSAFE CONTENT CATEGORIES>",
    "",
    "<BEGIN CONVERSATION>",
    "",
    `USER: ${text}`,
    "",
    "<END CONVERSATION>",
    "",
    "Provide your safety assessment for ONLY THE LAST **USER's query** in the above conversation:",
    " - The first line must be one of: 'Safety: Safe', 'Safety: Unsafe', 'Safety: Controversial'.",
    " - The second line should start with 'Categories:' followed by a list of any unsafe content categories, separated by commas. If the content is safe, use 'Categories: None'.",
  ].join("\n");
}

const quote = (s: string) => JSON.stringify(s);
// At most three categories: a real reply rarely lists more, and a random-weight test model must still stop.
const GRAMMAR = [
  'root ::= "Safety: " level "\\nCategories: " cats',
  'level ::= "Safe" | "Unsafe" | "Controversial"',
  'cats ::= "None" | cat (", " cat)? (", " cat)?',
  `cat ::= ${LABELS.map(quote).join(" | ")}`,
].join("\n");

const LINE = /^Safety:\s*(Safe|Unsafe|Controversial)\s*\n\s*Categories:\s*(.+?)\s*(?:\n\s*Refusal:\s*(?:Yes|No)\s*)?$/;

/** Reads `Safety: …` / `Categories: …` exactly; unknown labels, a missing line or a safe reply with categories fail. */
export function parseQwen3guard(reply: string): ClassifierVerdict {
  const body = replyBody(reply, "qwen3guard");
  const m = LINE.exec(body);
  if (!m) throw unreadable("qwen3guard", reply, "'Safety: Safe|Unsafe|Controversial' then 'Categories: …'");
  const level = m[1]!.toLowerCase() as SafetyLevel;
  const labels = m[2] === "None" ? [] : m[2]!.split(",").map((l) => l.trim());
  const unknown = labels.filter((l) => !LABELS.includes(l));
  if (unknown.length) throw unreadable("qwen3guard", reply, `a list of its categories (unknown: ${unknown.join(", ")})`);
  if (level === "safe" && labels.length) throw unreadable("qwen3guard", reply, "consistent (Safe with categories)");
  return { level, categories: mapLabels("qwen3guard", labels), labels };
}

export const qwen3guard: ClassifierFormatSpec = {
  name: "qwen3guard",
  requests: (text, style) => [
    { messages: [{ role: "user", content: style === "instructions" ? qwen3guardInstructions(text) : text }], grammar: GRAMMAR, maxTokens: 64 },
  ],
  parse: ([reply]) => parseQwen3guard(reply ?? ""),
};
