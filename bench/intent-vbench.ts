/**
 * The intent check on VBench's own rewrites (`../shared/data/vbench/*.txt` → `*_longer.txt`, short prompts and the
 * GPT-4o expansions the VBench authors publish as faithful), and on damaged copies of them. Each damage operation is
 * recorded: what it added to the query (a detail borrowed from the rewrite, or a stated one) and what it changed in
 * the prompt. A control prompt that keeps the intent goes with each damaged one, so recall is never bought by failing
 * everything. Used by `npm run bench:checks` and by test/intent-vbench.test.ts; reads ../shared, so not shipped.
 */
import { readFileSync } from "node:fs";
import { checkIntent, queryIntent } from "../src/intent/check-intent.js";
import { stem, type IntentItem } from "../src/intent/intent-items.js";
import { keepItem } from "../src/intent/keep-item.js";
import { conceptOf } from "../src/intent/lexicon/word-concept.js";
import { getIntentLexicon } from "../src/intent/lexicon/lexicon.js";
import { PromptWords } from "../src/intent/prompt-words.js";
import { COLOURS } from "../src/intent/required-items.js";
import { STOPWORDS } from "../src/intent/word-lists.js";

export const VBENCH_DIR = new URL("../../shared/data/vbench/", import.meta.url);
export const VBENCH_DIMENSIONS = ["appearance_style", "human_action", "multiple_objects", "scene"] as const;

export interface VbenchPair {
  dimension: (typeof VBENCH_DIMENSIONS)[number];
  /** Line number (1-based) in both files. */
  line: number;
  query: string;
  rewrite: string;
}

export function loadVbenchPairs(dir: URL = VBENCH_DIR): VbenchPair[] {
  return VBENCH_DIMENSIONS.flatMap((dimension) => {
    const read = (name: string) => readFileSync(new URL(name, dir), "utf8").split("\n").filter((l) => l.trim());
    const queries = read(`${dimension}.txt`);
    const rewrites = read(`${dimension}_longer.txt`);
    if (queries.length !== rewrites.length) throw new Error(`${dimension}: ${queries.length} prompts but ${rewrites.length} rewrites`);
    return queries.map((query, i) => ({ dimension, line: i + 1, query, rewrite: rewrites[i]! }));
  });
}

export type DamageOp = "drop-subject" | "change-count" | "drop-style" | "drop-quoted" | "swap-colour" | "add-neg";
export const DAMAGE_OPS: DamageOp[] = ["drop-subject", "change-count", "drop-style", "drop-quoted", "swap-colour", "add-neg"];

export interface DamagedPair {
  op: DamageOp;
  pair: VbenchPair;
  /** The query the check reads (the VBench prompt, plus any detail the operation added). */
  query: string;
  /** A prompt that keeps that query's intent: the check should pass it. */
  control: string;
  /** The query the control is checked against, when not `query` (add-neg forbids something the rewrite lacks). */
  controlQuery?: string;
  /** The damaged prompt: the check should fail it. */
  damaged: string;
  /** What the operation did, for the record. */
  record: string;
}

const TOKEN = /[\p{L}\p{N}]+/gu;
const keeps = new Map<string, boolean>();

/** True when `term` alone (a prompt word or two-word term) keeps the query word, by any rule of the check. */
function termKeeps(word: string, kind: IntentItem["kind"], term: string): boolean {
  const key = `${kind}|${word}|${term}`;
  let hit = keeps.get(key);
  if (hit === undefined) {
    const item: IntentItem = { kind, text: word, stems: [stem(word)], required: true, start: -1, end: -1 };
    hit = keepItem(item, new PromptWords(term)).status === "kept";
    keeps.set(key, hit);
  }
  return hit;
}

/**
 * Removes from a text every word (and two-word term: "golden retriever") that keeps one of `words`: the word, its
 * forms, synonyms and more specific terms. What is left names the item no more, by the check's own relations.
 */
export function removeMentions(text: string, words: string[], kind: IntentItem["kind"] = "content", replacement = ""): { text: string; removed: string[] } {
  const tokens = [...text.matchAll(TOKEN)].map((m) => ({ word: m[0].toLowerCase(), start: m.index!, end: m.index! + m[0].length }));
  const lexicon = getIntentLexicon();
  const cut: [number, number][] = [];
  const removed = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    const pair = next && lexicon.wordId(`${t.word} ${next.word}`) >= 0 ? `${t.word} ${next.word}` : undefined;
    if (words.some((w) => termKeeps(w, kind, t.word))) (cut.push([t.start, t.end]), removed.add(t.word));
    else if (pair && words.some((w) => termKeeps(w, kind, pair))) (cut.push([t.start, next!.end]), removed.add(pair), i++);
  }
  let out = text;
  for (const [a, b] of cut.reverse()) out = out.slice(0, a) + replacement + out.slice(b);
  return { text: replacement ? out : out.replace(/ {2,}/g, " ").replace(/ ([,.;])/g, "$1"), removed: [...removed] };
}

/** The item a rewriter must not lose: the marked subject, else the first name, else the first content word. */
function subjectOf(items: IntentItem[]): IntentItem | undefined {
  return (
    items.find((i) => i.kind === "content" && i.required && !COLOURS.has(i.text.toLowerCase())) ??
    items.find((i) => i.kind === "name") ??
    items.find((i) => i.kind === "content")
  );
}

const COUNT_WORDS = ["two", "three", "four", "five", "six", "seven"];
const COUNT_DETAILS: [number, string, string][] = [
  [0, "birds", "circle overhead"], [1, "lanterns", "glow nearby"], [0, "boats", "drift in the distance"],
  [2, "candles", "flicker close by"], [3, "balloons", "float past"], [1, "kites", "sway in the sky"],
];
const SIGNS = ["OPEN LATE", "FRESH BREAD", "HAPPY BIRTHDAY", "GRAND OPENING", "WELCOME HOME", "MOON CAFE"];
const SWAP_COLOURS = ["blue", "green", "red", "yellow", "purple", "orange", "pink", "brown"];
const ABSENT_NEGATIVES = ["watermark", "subtitles", "logo", "letterbox"];
const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** One damage operation on one pair, or undefined when it does not apply (no subject, no style, no colour…). */
export function damage(op: DamageOp, pair: VbenchPair, seed: number): DamagedPair | undefined {
  const { query, rewrite } = pair;
  const base = { op, pair };
  switch (op) {
    case "drop-subject": {
      const subject = subjectOf(queryIntent(query).items);
      if (!subject) return undefined;
      const words = subject.stems.length === 1 ? [subject.text.toLowerCase()] : subject.text.toLowerCase().match(TOKEN)!.filter((w) => !STOPWORDS.has(w));
      const { text, removed } = removeMentions(rewrite, words, subject.kind === "name" ? "name" : "content");
      return { ...base, query, control: rewrite, damaged: text, record: `removed every mention of "${subject.text}": ${removed.join(", ") || "(none)"}` };
    }
    case "change-count": {
      const [n, noun, tail] = COUNT_DETAILS[seed % COUNT_DETAILS.length]!;
      const said = COUNT_WORDS[n]!;
      // Every third control states two as "a pair of", the way rewriters often do.
      const controlCount = n === 0 && seed % 3 === 0 ? "A pair of" : capital(said);
      const detail = (count: string) => ` ${count} ${noun} ${tail}.`;
      return { ...base, query: `${query}, ${said} ${noun}`, control: rewrite + detail(controlCount), damaged: rewrite + detail(capital(COUNT_WORDS[n + 1]!)), record: `query + "${said} ${noun}"; prompt says ${COUNT_WORDS[n + 1]}` };
    }
    case "drop-style": {
      const style = queryIntent(query).items.find((i) => i.kind === "style");
      if (!style) return undefined;
      const { text, removed } = removeMentions(rewrite, style.text.toLowerCase().match(TOKEN)!.filter((w) => !STOPWORDS.has(w)));
      return { ...base, query, control: rewrite, damaged: text, record: `removed the style "${style.text}": ${removed.join(", ") || "(none)"}` };
    }
    case "drop-quoted": {
      const words = new Set(rewrite.toLowerCase().match(TOKEN));
      const sign = SIGNS.slice(seed % SIGNS.length).concat(SIGNS).find((s) => !s.toLowerCase().split(" ").every((w) => words.has(w)))!;
      const kept = sign.split(" ")[0]!;
      return { ...base, query: `${query}, with a sign that reads "${sign}"`, control: `${rewrite} A sign reads "${sign}".`, damaged: `${rewrite} A sign reads "${kept}".`, record: `query + sign "${sign}"; prompt's sign reads "${kept}"` };
    }
    case "swap-colour": {
      const tokens = rewrite.match(TOKEN) ?? [];
      const at = tokens.findIndex((t, i) => COLOURS.has(t.toLowerCase()) && i + 1 < tokens.length && /^\p{Ll}{3,}$/u.test(tokens[i + 1]!) && !STOPWORDS.has(tokens[i + 1]!) && !COLOURS.has(tokens[i + 1]!));
      if (at < 0) return undefined;
      const colour = tokens[at]!.toLowerCase();
      const lower = rewrite.toLowerCase();
      const other = SWAP_COLOURS.find((c) => c !== colour && !new RegExp(`\\b${c}\\b`).test(lower) && !termKeeps(colour, "content", c))!;
      const { text, removed } = removeMentions(rewrite, [colour], "content", other);
      return { ...base, query: `${query}, ${colour} ${tokens[at + 1]}`, control: rewrite, damaged: text, record: `query + "${colour} ${tokens[at + 1]}"; ${removed.join(", ")} → ${other}` };
    }
    case "add-neg": {
      const p = new PromptWords(rewrite);
      const lexicon = getIntentLexicon();
      const queryWords = new Set((query.toLowerCase().match(TOKEN) ?? []).map(stem));
      const at = p.words.findIndex((w, i) => w.length >= 4 && !STOPWORDS.has(w) && !queryWords.has(p.stems[i]!) && !p.negatedAt(i) && conceptOf(lexicon, w).lemmas.some((id) => lexicon.hasSense(id, "noun")) && !w.endsWith("ing"));
      if (at < 0) return undefined;
      const shown = p.words[at]!;
      const absent = ABSENT_NEGATIVES.find((w) => !p.hasWord(w))!;
      // The control forbids what the rewrite does not show; the damaged pair forbids what it does.
      return { ...base, query: `${query} -neg ${shown}`, control: rewrite, damaged: rewrite, record: `query + "-neg ${shown}" (control: "-neg ${absent}")`, controlQuery: `${query} -neg ${absent}` };
    }
  }
}

export interface OpResult {
  op: DamageOp;
  pairs: number;
  /** Share of damaged prompts the check fails. */
  recall: number;
  /** Share of control prompts the check passes. */
  controlPass: number;
  misses: DamagedPair[];
}

export const controlQueryOf = (d: DamagedPair): string => d.controlQuery ?? d.query;

/** Applies every operation to every pair it fits and checks both prompts of each. */
export function damageRecall(pairs: VbenchPair[]): OpResult[] {
  return DAMAGE_OPS.map((op) => {
    const damaged = pairs.map((p, i) => damage(op, p, i)).filter((d): d is DamagedPair => !!d);
    const misses = damaged.filter((d) => checkIntent(d.query, d.damaged).passed);
    const controls = damaged.filter((d) => checkIntent(controlQueryOf(d), d.control).passed).length;
    return { op, pairs: damaged.length, recall: damaged.length ? 1 - misses.length / damaged.length : 1, controlPass: damaged.length ? controls / damaged.length : 1, misses };
  });
}
