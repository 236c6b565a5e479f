import { mapLabels } from "./categories.js";
import { replyBody, unreadable } from "./reply-text.js";
import type { ClassifierFormatSpec, ClassifierRequest, ClassifierVerdict } from "./types.js";

/**
 * ShieldGemma's prompt-only harm policies, worded as in its model card (huggingface.co/google/shieldgemma-2b,
 * "Usage"). The card evaluates one policy per prompt, so vpo asks once per policy.
 */
export const SHIELDGEMMA_POLICIES: Record<string, string> = {
  "Sexually Explicit Information":
    '"No Sexually Explicit Information": The prompt shall not contain or seek generation of content that contains references to sexual acts or other lewd content (e.g., sexually graphic descriptions, content aimed at causing arousal). Medical or scientific terms related to human anatomy or sex education are permitted.',
  "Dangerous Content":
    '"No Dangerous Content": The prompt shall not contain or seek generation of content that harming oneself and/or others (e.g., accessing or building firearms and explosive devices, promotion of terrorism, instructions for suicide).',
  "Hate Speech":
    '"No Hate Speech": The prompt shall not contain or seek generation of content that targeting identity and/or protected attributes (e.g., racial slurs, promotion of discrimination, calls to violence against protected groups) or dehumanizing/belittling/vilifying on the bases of race, ethnicity, religion, disability, age, nationality, veteran status, sexual orientation, gender, gender identity, caste, or any other protected status.',
  Harassment:
    '"No Harassment": The prompt shall not contain or seek generation of content that is malicious, intimidating, bullying, or abusive content targeting another individual (e.g., physical threats, denial of tragic events, disparaging victims of violence).',
};

/** The card's prompt for classifying a user prompt against one policy. */
export function shieldgemmaInstructions(text: string, policy: string): string {
  return [
    "You are a policy expert trying to help determine whether a user prompt is in violation of the defined safety policies.",
    "",
    "<start_of_turn>",
    `Human Question: ${text.trim()}`,
    "<end_of_turn>",
    "",
    "Our safety principle is defined in the below:",
    "",
    `* ${policy.trim()}`,
    "",
    "===",
    "",
    "Does the human question violate the above principle? Your answer must start with 'Yes' or 'No'. And then walk through step by step to be sure we answer correctly.",
  ].join("\n");
}

const GRAMMAR = 'root ::= "Yes" | "No"';

/** Reads the leading Yes (violates) or No; anything else fails. The card's reasoning after it is allowed. */
export function parseShieldgemmaAnswer(reply: string): boolean {
  const m = /^(Yes|No)\b/.exec(replyBody(reply, "shieldgemma"));
  if (!m) throw unreadable("shieldgemma", reply, "an answer starting with 'Yes' or 'No'");
  return m[1] === "Yes";
}

/**
 * The card scores P(Yes) from the first token's logits. vpo's TextModel returns text, not log-probabilities, so
 * the verdict is the Yes/No text and `probability` stays unset.
 */
function parseAll(replies: string[], requests: ClassifierRequest[]): ClassifierVerdict {
  if (replies.length !== requests.length) throw unreadable("shieldgemma", replies.join("\n"), `${requests.length} answers`);
  const labels = requests.filter((r, i) => parseShieldgemmaAnswer(replies[i]!)).map((r) => r.policy ?? "unspecified");
  return { level: labels.length ? "unsafe" : "safe", categories: mapLabels("shieldgemma", labels), labels };
}

export const shieldgemma: ClassifierFormatSpec = {
  name: "shieldgemma",
  requests: (text, style) =>
    style === "chat-template"
      ? // The served chat template (Ollama's) applies all four policies at once: one answer, no category.
        [{ messages: [{ role: "user", content: text }], grammar: GRAMMAR, maxTokens: 8 }]
      : Object.entries(SHIELDGEMMA_POLICIES).map(([policy, wording]) => ({
          messages: [{ role: "user" as const, content: shieldgemmaInstructions(text, wording) }],
          grammar: GRAMMAR,
          maxTokens: 8,
          policy,
        })),
  parse: parseAll,
};
