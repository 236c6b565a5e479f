import { mapLabels } from "./categories.js";
import { replyBody, unreadable } from "./reply-text.js";
import type { ClassifierFormatSpec, ClassifierVerdict } from "./types.js";

/**
 * The category list of Llama Guard 3's prompt (llama.com/docs/model-cards-and-prompt-formats/llama-guard-3,
 * "Prompt format"); the card's taxonomy table gives the longer names (S3 Sex-Related Crimes, S4 Child Sexual
 * Exploitation, S11 Suicide & Self-Harm) of the same codes.
 */
export const LLAMAGUARD3_CATEGORIES = [
  "Violent Crimes",
  "Non-Violent Crimes",
  "Sex Crimes",
  "Child Exploitation",
  "Defamation",
  "Specialized Advice",
  "Privacy",
  "Intellectual Property",
  "Indiscriminate Weapons",
  "Hate",
  "Self-Harm",
  "Sexual Content",
  "Elections",
  "Code Interpreter Abuse",
];

/** The user turn of Llama Guard 3's prompt for classifying one user message. */
export function llamaguard3Instructions(text: string): string {
  return [
    "Task: Check if there is unsafe content in 'User' messages in conversations according our safety policy with the below categories.",
    "",
    "<BEGIN UNSAFE CONTENT CATEGORIES>",
    ...LLAMAGUARD3_CATEGORIES.map((c, i) => `S${i + 1}: ${c}.`),
    "<END UNSAFE CONTENT CATEGORIES>",
    "",
    "<BEGIN CONVERSATION>",
    "",
    `User: ${text}`,
    "",
    "<END CONVERSATION>",
    "",
    "Provide your safety assessment for ONLY THE LAST User message in the above conversation:",
    " - First line must read 'safe' or 'unsafe'.",
    " - If unsafe, a second line must include a comma-separated list of violated categories.",
  ].join("\n");
}

const GRAMMAR = ['root ::= "safe" | "unsafe\\n" code ("," code)? ("," code)?', 'code ::= "S" ([1-9] | "1" [0-4])'].join("\n");

const REPLY = /^(safe|unsafe)\s*(?:\n\s*(S\d{1,2}(?:\s*,\s*S\d{1,2})*)\s*)?$/;

/** Reads `safe`, or `unsafe` and a line of S1–S14 codes; codes after `safe` or outside S1–S14 fail. */
export function parseLlamaguard3(reply: string): ClassifierVerdict {
  const body = replyBody(reply, "llamaguard3");
  const m = REPLY.exec(body);
  if (!m) throw unreadable("llamaguard3", reply, "'safe' or 'unsafe' and S1–S14 codes");
  const labels = m[2] ? m[2].split(",").map((c) => c.trim()) : [];
  if (m[1] === "safe") {
    if (labels.length) throw unreadable("llamaguard3", reply, "consistent (safe with category codes)");
    return { level: "safe", categories: [], labels: [] };
  }
  const bad = labels.filter((c) => !(Number(c.slice(1)) >= 1 && Number(c.slice(1)) <= 14));
  if (bad.length) throw unreadable("llamaguard3", reply, `a list of S1–S14 codes (got ${bad.join(", ")})`);
  return { level: "unsafe", categories: mapLabels("llamaguard3", labels), labels };
}

export const llamaguard3: ClassifierFormatSpec = {
  name: "llamaguard3",
  requests: (text, style) => [
    { messages: [{ role: "user", content: style === "instructions" ? llamaguard3Instructions(text) : text }], grammar: GRAMMAR, maxTokens: 24 },
  ],
  parse: ([reply]) => parseLlamaguard3(reply ?? ""),
};
