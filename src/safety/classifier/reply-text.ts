import { ModelOutputError } from "../../errors.js";
import { detectRefusal } from "../../text/detect-refusal.js";

/** The part of a reply a parser reads: an empty `<think></think>` block (Qwen3's non-thinking mode) and whitespace removed. */
export function replyBody(reply: string, format: string): string {
  const body = reply.replace(/^\s*<think>[\s\S]*?<\/think>/, "").trim();
  if (!body) throw new ModelOutputError("empty", `${format} classifier gave an empty reply`, reply);
  return body;
}

/**
 * The failure for a reply that is not in the format; an assistant-style refusal ("I'm sorry, I can't…") is named
 * as one, since it usually means the server sent the text to a chat model, not to the classifier.
 */
export function unreadable(format: string, reply: string, expected: string): ModelOutputError {
  const shown = JSON.stringify(reply.trim().slice(0, 120));
  if (detectRefusal(reply).refusal) return new ModelOutputError("refusal", `${format} classifier refused instead of classifying: ${shown}`, reply);
  return new ModelOutputError("unparseable", `${format} reply is not ${expected}: ${shown}`, reply);
}
