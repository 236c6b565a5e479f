import { normalizeText } from "../text/normalize.js";
import { extractIntent, stem, type IntentItem } from "./intent-items.js";
import { screenSafety, type SafetyMatch, type SafetyScreen } from "../safety/screen-safety.js";
import type { FlagParse } from "../optimize/flags.js";

export type IntentItemStatus = "kept" | "missing" | "contradicted" | "unsafe";

export interface IntentCheck {
  /** Share of the query's safe items the prompt kept (1 when there is nothing to keep). */
  coverage: number;
  /** Safe items the prompt lost, required ones first. */
  missing: string[];
  /** Required items (numbers, quoted text, names, styles, camera) among `missing`. */
  requiredMissing: string[];
  /** "-neg" items the prompt shows anyway. */
  contradicted: string[];
  /** Coverage at least `minCoverage`, no required item missing, nothing contradicted. */
  passed: boolean;
  items: (Pick<IntentItem, "kind" | "text" | "required"> & { status: IntentItemStatus })[];
}

export interface IntentCheckOptions {
  /** Default 0.6: paraphrase is fine, losing half the scene is not. */
  minCoverage?: number;
  /** Used to exempt unsafe parts of a query given as text (they should be dropped). Default: the shipped lexicon. */
  screen?: SafetyScreen;
}

/** The query side of the intent check: computed once, reused for every candidate prompt (guard rounds, K samples). */
export interface QueryIntent {
  items: IntentItem[];
  /** The query's flag-free text, which item spans index into. */
  text: string;
  /** Unsafe spans of `text` (the screen's matches without context-only hits): items inside them are exempt. */
  unsafe: SafetyMatch[];
}

/** Extracts a query's intent items and screens its flag-free text (flags parsed here unless already parsed). */
export function queryIntent(query: string | FlagParse, screen: SafetyScreen = screenSafety): QueryIntent {
  const { items, text } = extractIntent(query);
  return { items, text, unsafe: screen(text).matches?.filter((m) => !m.context) ?? [] };
}

const WORD = /[\p{L}\p{N}]+/gu;
/** On-screen text is compared verbatim, only runs of whitespace aside. */
const collapse = (s: string) => s.replace(/\s+/g, " ");
const NEGATION = new Set(["no", "not", "without", "never", "free", "none", "nor", "avoid", "avoiding", "lacking"]);

/** Edit distance of at most one (typos such as "woamn" or "lanching" in queries). */
function withinOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) (i++, j++);
    else {
      if (++edits > 1) return false;
      if (a.length > b.length) i++;
      else if (b.length > a.length) j++;
      else (i++, j++);
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

/**
 * Which elements of the query's intent a prompt dropped or contradicted: content words, numbers and counts, quoted
 * text, names, style words and the query's flags. Unsafe parts of the query are exempt (a prompt should drop them).
 * Lexical and fast; it cannot see paraphrases beyond stems and one-letter typos, which is why the judge exists.
 */
export function checkIntent(query: string | QueryIntent, prompt: string, options: IntentCheckOptions = {}): IntentCheck {
  const { items, unsafe } = typeof query === "string" ? queryIntent(query, options.screen) : query;
  const words = normalizeText(prompt).text.match(WORD) ?? [];
  const stems = words.map(stem);
  const stemSet = new Set([...stems, ...words]);
  const has = (s: string) => stemSet.has(s) || (s.length >= 5 && stems.some((p) => p.length >= 4 && withinOne(p, s)));
  const negatedAt = (i: number) => stems.slice(Math.max(0, i - 3), i).some((w) => NEGATION.has(w));
  const out: IntentCheck["items"] = [];
  for (const item of items) {
    let status: IntentItemStatus;
    if (item.start >= 0 && unsafe.some((m) => item.start < m.end && m.start < item.end)) status = "unsafe";
    else if (item.kind === "negative") {
      const at = stems.findIndex((s) => s === item.stems[0]);
      status = item.stems.every((s) => stemSet.has(s)) && at >= 0 && !negatedAt(at) ? "contradicted" : "kept";
    } else if (item.kind === "on-screen-text") status = collapse(prompt).includes(collapse(item.text)) ? "kept" : "missing";
    else if (item.kind === "number") status = item.stems.some((s) => stemSet.has(s)) ? "kept" : "missing";
    else status = item.stems.every(has) ? "kept" : "missing";
    out.push({ kind: item.kind, text: item.text, required: item.required, status });
  }
  const counted = out.filter((i) => i.kind !== "negative" && i.status !== "unsafe");
  const kept = counted.filter((i) => i.status === "kept").length;
  const coverage = counted.length ? kept / counted.length : 1;
  const missingItems = counted.filter((i) => i.status === "missing").sort((a, b) => Number(b.required) - Number(a.required));
  const requiredMissing = missingItems.filter((i) => i.required).map((i) => i.text);
  const contradicted = out.filter((i) => i.status === "contradicted").map((i) => i.text);
  const passed = coverage >= (options.minCoverage ?? 0.6) && !requiredMissing.length && !contradicted.length;
  return { coverage, missing: missingItems.map((i) => i.text), requiredMissing, contradicted, passed, items: out };
}
