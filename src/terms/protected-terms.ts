import type { PreparedQuery } from "../optimize/query.js";

/** Where a protected term came from. */
export type ProtectedSource = "keep" | "quoted" | "on-screen-text" | "lora" | "embedding" | "style-tag";

/** A piece of the query that must appear in the prompt exactly as written. */
export interface ProtectedTerm {
  text: string;
  source: ProtectedSource;
}

/** How a term ended up in the final prompt. */
export type KeptHow = "verbatim" | "re-asked" | "inserted";

export interface ProtectedTermReport extends ProtectedTerm {
  kept: KeptHow;
}

// Quotes around text meant literally: ASCII, typographic, guillemets and the CJK corner brackets Chinese and
// Japanese use. Single quotes only around 2+ characters not inside a word ("don't" is no quote).
const QUOTED = /"([^"\n]{1,120})"|“([^”\n]{1,120})”|«([^»\n]{1,120})»|「([^」\n]{1,120})」|『([^』\n]{1,120})』|(?<![\p{L}\p{N}])'([^'\n]{2,120})'(?![\p{L}\p{N}])/gu;
/** A1111 / ComfyUI extra networks: `<lora:name:0.8>`, `<lyco:…>`, `<hypernet:…>`, `<embedding:name>`. */
const EXTRA_NETWORK = /<(lora|lyco|locon|hypernet|embedding|ti):[^<>\s][^<>]{0,120}>/gi;
/** ComfyUI's textual-inversion syntax: `embedding:name` (optionally weighted `(embedding:name:1.2)`). */
const EMBEDDING = /(?<![\p{L}\p{N}<])embedding:[\p{L}\p{N}_.-]+/giu;
/** Attention-weighted style tags the user typed: `(masterpiece:1.2)`, `(film grain:0.8)`. */
const WEIGHTED_TAG = /\((?!embedding:)[^():\n]{1,60}:\s*\d+(?:\.\d+)?\)/g;

const squeeze = (s: string) => s.replace(/\s+/g, " ").trim();

/**
 * A --keep list: terms split on commas outside quotes, angle brackets and parentheses, so
 * `ohwx man, <lora:style:0.8>, 'HAPPY BIRTHDAY'` is three terms. Quotes around a whole term are removed.
 */
export function parseKeepList(list: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = "";
  const closing: Record<string, string> = { '"': '"', "'": "'", "“": "”", "‘": "’", "«": "»", "「": "」" };
  for (const c of list) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (c in closing && (c !== "'" || !/[\p{L}\p{N}]$/u.test(current))) quote = closing[c]!;
    else if (c === "<" || c === "(") depth++;
    else if ((c === ">" || c === ")") && depth > 0) depth--;
    else if (c === "," && depth === 0) {
      terms.push(current);
      current = "";
      continue;
    }
    current += c;
  }
  terms.push(current);
  return terms.map((t) => squeeze(unquote(t.trim()))).filter(Boolean);
}

function unquote(term: string): string {
  const m = /^(["'“‘«「])([\s\S]*)(["'”’»」])$/u.exec(term);
  return m && m[2]!.trim() ? m[2]! : term;
}

/**
 * Every term of a query that must reach the prompt verbatim: the user's `keep` terms, then on-screen text
 * (Pika's "Message: …"), quoted text, LoRA / embedding triggers and weighted style tags, in the query's own
 * language and spelling. A term inside another (a quote inside a kept term) is listed once. Without a query: the
 * `keep` terms alone.
 */
export function findProtectedTerms(query: Pick<PreparedQuery, "text" | "flags"> | undefined, keep: readonly string[] = []): ProtectedTerm[] {
  const found: ProtectedTerm[] = keep.map((text) => ({ text: squeeze(text), source: "keep" as const })).filter((t) => t.text);
  const text = query?.text ?? "";
  const onScreen = query?.flags.onScreenText?.text;
  if (onScreen) found.push({ text: squeeze(onScreen), source: "on-screen-text" });
  for (const m of text.matchAll(QUOTED)) {
    const inner = squeeze(m.slice(1).find((g) => g !== undefined) ?? "");
    if (/[\p{L}\p{N}]/u.test(inner)) found.push({ text: inner, source: "quoted" });
  }
  for (const m of text.matchAll(EXTRA_NETWORK)) found.push({ text: m[0], source: m[1]!.toLowerCase() === "embedding" || m[1]!.toLowerCase() === "ti" ? "embedding" : "lora" });
  for (const m of text.matchAll(EMBEDDING)) found.push({ text: m[0], source: "embedding" });
  for (const m of text.matchAll(WEIGHTED_TAG)) found.push({ text: m[0], source: "style-tag" });
  const out: ProtectedTerm[] = [];
  for (const term of found) {
    if (out.some((o) => o.text.includes(term.text))) continue;
    for (let i = out.length - 1; i >= 0; i--) if (term.text.includes(out[i]!.text)) out.splice(i, 1);
    out.push(term);
  }
  return out;
}

/** Quote marks are not part of a term: “新年快乐” in the query is kept by "新年快乐" or 「新年快乐」 in the prompt. */
const sameQuotes = (s: string) => squeeze(s.replace(/[“”«»「」『』]/g, '"').replace(/[‘’]/g, "'"));

/** Whether a prompt holds a term verbatim (case and spelling exact; runs of spaces and quote styles aside). */
export function holdsTerm(prompt: string, term: string): boolean {
  return sameQuotes(prompt).includes(sameQuotes(term));
}

/** The terms a prompt lacks. */
export function missingTerms(prompt: string, terms: readonly ProtectedTerm[]): ProtectedTerm[] {
  return terms.filter((t) => !holdsTerm(prompt, t.text));
}

const QUOTED_SPANS = /"[^"]*"|“[^”]*”|「[^」]*」|『[^』]*』|«[^»]*»|\bmessage:[^(\n]*\(font:[^)\n]*\)/gi;

/** A text without its protected terms and quoted or on-screen text: what its own language is read from. */
export function withoutProtectedText(text: string, terms: readonly ProtectedTerm[]): string {
  let out = text;
  for (const t of terms) out = out.split(t.text).join(" ");
  return out.replace(QUOTED_SPANS, " ");
}
