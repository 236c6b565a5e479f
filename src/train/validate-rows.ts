import { createHash } from "node:crypto";
import type { ChatMessage } from "../model/types.js";
import type { PairRow, RowSource, SftRow } from "./conversation.js";
import { chatTokens } from "./tokens/chat-tokens.js";
import type { TokenCounter } from "./tokens/token-counter.js";

export type DropReason =
  | "malformed" // not JSON, or not the record schema
  | "empty" // a query, prompt, chosen or rejected text that is empty or only whitespace
  | "bad-roles" // turns do not alternate user → assistant, or a system turn
  | "same-chosen-rejected" // nothing to learn from the pair
  | "invalid-unicode" // a lone UTF-16 surrogate: Python's JSON reader and the tokenizer choke on it
  | "too-long" // over the cutoff in tokens: the trainer would truncate the target
  | "duplicate"; // the same row already exported

export interface DroppedRow extends RowSource {
  reason: DropReason;
  detail: string;
}

export type Checked<T> = { ok: true; row: T; tokens: number } | { ok: false; dropped: DroppedRow };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const normalise = (text: string) => text.replace(/\s+/g, " ").trim();

/** Roles must run user, assistant, user, … and end on the turn being trained (no system prompt in the VPO contract). */
export function checkRoles(messages: readonly ChatMessage[], endsWith: "user" | "assistant"): string | undefined {
  if (!messages.length) return "no turns";
  for (const [i, m] of messages.entries()) {
    const expected = i % 2 === 0 ? "user" : "assistant";
    if (m.role !== expected) return `turn ${i + 1} is "${m.role}", expected "${expected}"`;
  }
  const last = messages[messages.length - 1]!.role;
  return last === endsWith ? undefined : `last turn is "${last}", expected "${endsWith}"`;
}

/** Checks every row for the rules in DropReason; keeps a hash of what passed to catch duplicates. */
export class RowValidator {
  private readonly seen = new Set<string>();

  constructor(
    private readonly counter: TokenCounter,
    readonly cutoff: number,
  ) {}

  private drop<T>(source: RowSource, reason: DropReason, detail: string): Checked<T> {
    return { ok: false, dropped: { ...source, reason, detail } };
  }

  private firstProblem(texts: Record<string, string>): [DropReason, string] | undefined {
    for (const [name, text] of Object.entries(texts)) {
      if (!text.trim()) return ["empty", `${name} is empty`];
      if (LONE_SURROGATE.test(text)) return ["invalid-unicode", `${name} holds a lone UTF-16 surrogate`];
    }
    return undefined;
  }

  private once(key: unknown): boolean {
    const hash = createHash("sha256").update(JSON.stringify(key)).digest("base64");
    if (this.seen.has(hash)) return false;
    this.seen.add(hash);
    return true;
  }

  sft(row: SftRow, query: string): Checked<SftRow> {
    const problem = this.firstProblem({ query, prompt: row.messages.at(-1)?.content ?? "" });
    if (problem) return this.drop(row.source, ...problem);
    const roles = checkRoles(row.messages, "assistant");
    if (roles) return this.drop(row.source, "bad-roles", roles);
    const tokens = chatTokens(this.counter, row.messages);
    if (tokens > this.cutoff) return this.drop(row.source, "too-long", `${tokens} tokens > cutoff ${this.cutoff}${this.counter.exact ? "" : " (estimated)"}`);
    if (!this.once(row.messages)) return this.drop(row.source, "duplicate", "same query and prompt as an earlier row");
    return { ok: true, row, tokens };
  }

  pair(row: PairRow, query: string): Checked<PairRow> {
    const problem = this.firstProblem({ query, chosen: row.chosen.content, rejected: row.rejected.content });
    if (problem) return this.drop(row.source, ...problem);
    if (normalise(row.chosen.content) === normalise(row.rejected.content)) return this.drop(row.source, "same-chosen-rejected", "chosen and rejected are the same text");
    const roles = checkRoles(row.prompt, "user") ?? (row.chosen.role !== "assistant" || row.rejected.role !== "assistant" ? "chosen and rejected must be assistant turns" : undefined);
    if (roles) return this.drop(row.source, "bad-roles", roles);
    // The trainer sees prompt + each response; the longer one decides.
    const tokens = Math.max(chatTokens(this.counter, [...row.prompt, row.chosen]), chatTokens(this.counter, [...row.prompt, row.rejected]));
    if (tokens > this.cutoff) return this.drop(row.source, "too-long", `${tokens} tokens > cutoff ${this.cutoff}${this.counter.exact ? "" : " (estimated)"}`);
    if (!this.once([row.prompt, row.chosen, row.rejected])) return this.drop(row.source, "duplicate", "same query, chosen and rejected as an earlier row");
    return { ok: true, row, tokens };
  }
}
