import { extractIntent, type IntentItem } from "./intent-items.js";
import { frameIntent, shownByFrame, type FrameIntent, type FrameIntentReport } from "./frame-intent.js";
import { keepItem } from "./keep-item.js";
import type { KeptBy } from "./lexicon/prompt-lexicon.js";
import { PromptWords } from "./prompt-words.js";
import { screenSafety, type SafetyMatch, type SafetyScreen } from "../safety/screen-safety.js";
import type { FlagParse } from "../optimize/flags.js";

export type IntentItemStatus = "kept" | "missing" | "contradicted" | "unsafe";

export interface IntentCheck {
  /** Share of the query's safe items the prompt kept (1 when there is nothing to keep). */
  coverage: number;
  /** Safe items the prompt lost, required ones first. */
  missing: string[];
  /** Required items (numbers, quoted text, names, styles, camera, the subject, colours) among `missing`. */
  requiredMissing: string[];
  /** "-neg" items the prompt shows anyway. */
  contradicted: string[];
  /** Coverage at least `minCoverage`, no required item missing, nothing contradicted. */
  passed: boolean;
  items: IntentItemReport[];
  /** With an image-to-video caption: what the frame showed in the prompt's place, and what only it shows. */
  frame?: FrameIntentReport;
}

/** One item of the query and what the prompt did with it. */
export interface IntentItemReport extends Pick<IntentItem, "kind" | "text" | "required"> {
  status: IntentItemStatus;
  /** For kept items other than `-neg` ones: the prompt has the item itself, another form of it ("laughing" →
   * laughter, "Paris" → Parisian), a synonym, or a more specific term (a hyponym: "a young man" keeps "person"). */
  keptBy?: KeptBy | "frame";
  /** The prompt word or term that kept the item, when it is not the item's own word. */
  keptAs?: string;
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
  /** The caption of an image-to-video request's first frame (see withCaption). */
  frame?: FrameIntent;
}

/** Extracts a query's intent items and screens its flag-free text (flags parsed here unless already parsed). */
export function queryIntent(query: string | FlagParse, screen: SafetyScreen = screenSafety): QueryIntent {
  const { items, text } = extractIntent(query);
  return { items, text, unsafe: screen(text).matches?.filter((m) => !m.context) ?? [] };
}

/**
 * The query's intent checked against the query AND the caption of the first frame (image-to-video with a caption
 * model): a query item the prompt lost but the frame shows counts as kept ("frame"), and the caption's own items are
 * reported as not required.
 */
export function withCaption(intent: QueryIntent, caption: string): QueryIntent {
  return { ...intent, frame: frameIntent(caption, intent.text) };
}

/**
 * Which elements of the query's intent a prompt dropped or contradicted: content words, numbers and counts, quoted
 * text, names, style words and the query's flags. Unsafe parts of the query are exempt (a prompt should drop them).
 * Lexical and fast: besides stems and one-letter typos it knows WordNet's word forms, synonyms and more specific
 * terms, so "A person is laughing" is kept by "a young man bursts into laughter", while "animal" does not keep "cat"
 * and "dogs" does not keep "three dogs". Paraphrase beyond that is the judge's part.
 */
export function checkIntent(query: string | QueryIntent, prompt: string, options: IntentCheckOptions = {}): IntentCheck {
  const { items, unsafe, frame } = typeof query === "string" ? queryIntent(query, options.screen) : query;
  const shown: string[] = [];
  const p = new PromptWords(prompt);
  const out: IntentCheck["items"] = [];
  for (const item of items) {
    const report: IntentItemReport = { kind: item.kind, text: item.text, required: item.required, status: "unsafe" };
    if (!(item.start >= 0 && unsafe.some((m) => item.start < m.end && m.start < item.end))) {
      const verdict = keepItem(item, p);
      report.status = verdict.status;
      if (verdict.keptBy) report.keptBy = verdict.keptBy;
      if (verdict.keptAs) report.keptAs = verdict.keptAs;
      if (verdict.status === "missing" && frame && shownByFrame(frame, item)) {
        report.status = "kept";
        report.keptBy = "frame";
        shown.push(item.text);
      }
    }
    out.push(report);
  }
  const counted = out.filter((i) => i.kind !== "negative" && i.status !== "unsafe");
  const kept = counted.filter((i) => i.status === "kept").length;
  const coverage = counted.length ? kept / counted.length : 1;
  const missingItems = counted.filter((i) => i.status === "missing").sort((a, b) => Number(b.required) - Number(a.required));
  const requiredMissing = missingItems.filter((i) => i.required).map((i) => i.text);
  const contradicted = out.filter((i) => i.status === "contradicted").map((i) => i.text);
  const passed = coverage >= (options.minCoverage ?? 0.6) && !requiredMissing.length && !contradicted.length;
  const frameReport = frame ? { frame: { caption: frame.caption, shownByFrame: shown, notRequired: frame.frameOnly.map((i) => i.text) } } : {};
  return { coverage, missing: missingItems.map((i) => i.text), requiredMissing, contradicted, passed, items: out, ...frameReport };
}
