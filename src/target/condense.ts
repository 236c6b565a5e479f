import type { ChatMessage } from "../model/types.js";
import type { TargetProfile } from "./types.js";

/** Version of the condense instruction below; it goes into results with the condensed prompt. */
export const CONDENSE_TEMPLATE = { name: "vpo-condense", version: "1" } as const;

/**
 * Asks for the same prompt, shorter, under the same three principles as the optimizer: nothing unsafe added, every
 * element of the user's intent kept, still vivid and feasible. Only repetition and decoration may go.
 */
export function condenseMessages(query: string, prompt: string, words: number, budget: number, profile?: TargetProfile): ChatMessage[] {
  const target = profile ? ` for ${profile.name}, whose text encoder (${profile.textEncoder.name}) reads at most ${budget} tokens` : ` that must fit ${budget} tokens`;
  return [
    {
      role: "system",
      content:
        "You shorten text-to-video prompts without changing what the video shows. Keep every subject, count, action, style word, quoted or on-screen text, trigger word and camera or format constraint of the user's query; keep the prompt harmless; keep it one vivid, concrete, coherent description. Remove only repetition, filler and decorative adjectives. Reply with the shortened prompt only.",
    },
    { role: "user", content: `User query: ${query}\n\nVideo prompt (too long${target}):\n${prompt}\n\nRewrite it in at most ${words} words.` },
  ];
}
