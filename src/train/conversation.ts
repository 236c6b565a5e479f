import type { ChatMessage } from "../model/types.js";
import { vpoTemplate, type PromptTemplate } from "../optimize/template.js";
import type { PairRecord, SftRecord } from "./records.js";

/** Where a training row came from: the input file and its 1-based line. */
export interface RowSource {
  file: string;
  line: number;
}

/** An SFT example in engine-neutral form: the user turn(s) of the template, then the assistant's target prompt. */
export interface SftRow {
  messages: ChatMessage[];
  source: RowSource;
}

/** A preference example: the shared prompt turns and one chosen and one rejected assistant turn. */
export interface PairRow {
  prompt: ChatMessage[];
  chosen: ChatMessage;
  rejected: ChatMessage;
  kind: "text" | "video";
  source: RowSource;
}

/**
 * The user turn is exactly what `vpo optimize` sends (the VPO model contract by default), so a model trained on these
 * rows serves through `vpo optimize` unchanged. Targets are trimmed: surrounding whitespace is never worth learning.
 */
export function sftRow(record: SftRecord, source: RowSource, template: PromptTemplate = vpoTemplate): SftRow {
  return { messages: [...template.render(record.query), { role: "assistant", content: record.prompt.trim() }], source };
}

export function pairRow(record: PairRecord, source: RowSource, template: PromptTemplate = vpoTemplate): PairRow {
  return {
    prompt: template.render(record.query),
    chosen: { role: "assistant", content: record.chosen.trim() },
    rejected: { role: "assistant", content: record.rejected.trim() },
    kind: record.source,
    source,
  };
}
