import type { ChatMessage } from "../../model/types.js";
import type { TokenCounter } from "./token-counter.js";

/**
 * The Llama 3 Instruct chat text of a conversation, as LLaMA-Factory's `llama3` template and the model's own chat
 * template lay it out: BOS, then per turn a role header, a blank line, the content and <|eot_id|>.
 */
export function llama3ChatText(messages: readonly ChatMessage[]): string {
  return `<|begin_of_text|>${messages.map((m) => `<|start_header_id|>${m.role}<|end_header_id|>\n\n${m.content}<|eot_id|>`).join("")}`;
}

/** Tokens the trainer sees for a conversation (what `cutoff_len` / `max_length` limit). */
export function chatTokens(counter: TokenCounter, messages: readonly ChatMessage[]): number {
  return counter.count(llama3ChatText(messages));
}
