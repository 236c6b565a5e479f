import { decodeEntities } from "../text/decode-entities.js";
import { CANONICAL, KNOWN_FLAGS, misspeltFlag, NUMBER, NUMERIC_FIELDS, PLAIN_SINGLE_DASH, RATIO, VALUELESS, type FlagField } from "./flag-names.js";
import { readOnScreenText, type OnScreenText } from "./on-screen-text.js";

export type { FlagField } from "./flag-names.js";
export type { OnScreenText } from "./on-screen-text.js";

/**
 * VidProM / Midjourney-style generation flags typed into queries ("-ar 16:9 -motion 3 -neg blurry").
 * About 16% of real queries carry them; video tools read them as settings, not as scene content.
 */
export interface QueryFlags {
  /** "-ar 16:9", "--ar 9:16", "--aspect 21:9" */
  aspectRatio?: string;
  /** "-neg …", "--no …", "--negative …": what the video must not show. */
  negativePrompt?: string;
  /** "-camera zoom in", "-cam pan left" */
  camera?: string;
  /** "-motion 3" */
  motion?: number;
  /** "-fps 24" */
  fps?: number;
  /** "-seed 311" */
  seed?: number;
  /** "-gs 12": guidance scale. */
  guidanceScale?: number;
  /** Pika's "Message: TEXT (Font: NAME)": text the video must show verbatim. It stays in the query's text. */
  onScreenText?: OnScreenText;
  /** Any other flag ("--v 5", "-hide", "--style raw"): name → value ("" when it has none). */
  other: Record<string, string>;
  /** How flags written another way were read ("read `-ae 16:9` as `-ar 16:9`"); absent when there were none. */
  warnings?: string[];
}

export interface FlagSpan {
  /** The name as written, lower case. */
  name: string;
  /** The typed field it filled, when it filled one (a misspelt "-ng" fills negativePrompt). */
  field?: FlagField;
  raw: string;
  start: number;
  end: number;
}

/** What parseQueryFlags finds: the text without its flags, the flags, and where each flag was. */
export interface FlagParse {
  /** The query with every recognised flag removed, whitespace tidied. */
  text: string;
  flags: QueryFlags;
  spans: FlagSpan[];
}

/**
 * A flag starts a word: one or two dashes, then a name. A known name may carry its number attached ("-gs24");
 * an unknown name counts only in the flag tail (after a known flag), so "t-shirt" or "a - b" never match.
 */
const FLAG = /(?<=^|\s)(--?)([A-Za-z][A-Za-z_]*)(?=[\s\d:.=,]|$)/g;

function cleanValue(raw: string): string {
  return decodeEntities(raw)
    .trim()
    .replace(/^[=:]\s*/, "")
    .replace(/^["'“”‘’«]+|["'“”‘’»]+$/g, "")
    .replace(/[\s,;]+$/, "")
    .replace(/\s+/g, " ")
    .trim();
}

interface Candidate {
  dashes: string;
  name: string;
  start: number;
  valueStart: number;
  /** Where the text a value may take ends: the next flag-shaped word or the on-screen text. */
  stop: number;
  field?: FlagField;
  misspelt?: boolean;
}

/** Ends a flag's value: the number, the ratio, one word, up to `stop`, or nothing. */
function valueEnd(query: string, c: Candidate, inTail: boolean): number {
  const rest = query.slice(c.valueStart, c.stop);
  const number = NUMBER.exec(rest);
  const numberEnd = (n: RegExpExecArray) => {
    const end = c.valueStart + n[0].length;
    // A trailing dot after a number ("-gs 20.") is sentence punctuation, part of the flag.
    return /^\.(?=\s|$)/.test(query.slice(end)) ? end + 1 : end;
  };
  if (c.field === "aspectRatio") {
    const ratio = RATIO.exec(rest);
    return ratio ? c.valueStart + ratio[0].length : c.valueStart;
  }
  if (c.field && NUMERIC_FIELDS.has(c.field)) return number ? numberEnd(number) : c.valueStart;
  if (c.field) return c.stop;
  if (VALUELESS.has(c.name)) return c.valueStart;
  if (number) return numberEnd(number);
  if (inTail) return c.stop;
  // Outside a flag tail ("--style raw, a cat"), a flag takes one word at most: the rest is the scene.
  const word = /^\s*[=:]?\s*[\p{L}\p{N}_.-]+(?=\s|$)/u.exec(rest);
  return word ? c.valueStart + word[0].length : c.valueStart;
}

const shorten = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s);

export function parseQueryFlags(query: string): FlagParse {
  const screenText = readOnScreenText(query);
  // A comma right after the name ends only a flag that takes no value ("-hide, art by moebius").
  // Every flag starts with a dash: most queries have none, and are not scanned for flags.
  const matches = (query.includes("-") ? [...query.matchAll(FLAG)] : []).filter((m) => query[m.index! + m[0].length] !== "," || VALUELESS.has(m[2]!.toLowerCase()));
  const candidates: Candidate[] = matches.map((m, i) => {
    const start = m.index!;
    const valueStart = start + m[0].length;
    let stop = matches[i + 1]?.index ?? query.length;
    if (screenText && screenText.start >= valueStart && screenText.start < stop) stop = screenText.start;
    const name = m[2]!.toLowerCase();
    return { dashes: m[1]!, name, start, valueStart, stop, field: KNOWN_FLAGS[name] };
  });
  // Misspelt names are read once it is known whether they stand in a flag tail (after a known flag).
  const firstKnown = candidates.findIndex((c) => c.field !== undefined);
  for (const [i, c] of candidates.entries()) {
    if (c.field) continue;
    const field = misspeltFlag(c.name, query.slice(c.valueStart, c.stop), firstKnown >= 0 && i > firstKnown);
    if (field) Object.assign(c, { field, misspelt: true });
  }
  const flags: QueryFlags = { other: {} };
  if (screenText) flags.onScreenText = { text: screenText.text, ...(screenText.font ? { font: screenText.font } : {}) };
  const warnings: string[] = [];
  const spans: FlagSpan[] = [];
  // From the first flag with a known meaning on, every flag-shaped word is a flag; before it, only words that are
  // plainly flags: a double dash ("--hide", "--v 5") or a single-dash flag of another tool ("-hide").
  const tailStart = candidates.findIndex((c) => c.field !== undefined);
  for (const [i, c] of candidates.entries()) {
    const inTail = tailStart >= 0 && i >= tailStart;
    const plain = c.dashes === "--" || PLAIN_SINGLE_DASH.has(c.name);
    if (!inTail && !plain) continue;
    const end = valueEnd(query, c, inTail);
    const raw = query.slice(c.start, end);
    const value = query.slice(c.valueStart, end);
    if (c.field === "aspectRatio") {
      const ratio = RATIO.exec(value);
      if (ratio) flags.aspectRatio ??= `${ratio[1]}:${ratio[2]}`;
    } else if (c.field && NUMERIC_FIELDS.has(c.field)) {
      const n = NUMBER.exec(value);
      const field = c.field as "motion" | "fps" | "seed" | "guidanceScale";
      if (n && flags[field] === undefined) flags[field] = Number(n[1]);
    } else if (c.field) {
      const text = cleanValue(value);
      const field = c.field as "negativePrompt" | "camera";
      if (text) flags[field] = flags[field] ? `${flags[field]}, ${text}` : text;
    } else {
      flags.other[c.name] = cleanValue(value);
    }
    if (c.misspelt) warnings.push(`read \`${shorten(raw.trim())}\` as \`-${CANONICAL[c.field!]} ${shorten(cleanValue(value))}\``);
    else if (!inTail) warnings.push(`read \`${shorten(raw.trim())}\` as the flag "${c.name}", not as scene text`);
    spans.push({ name: c.name, ...(c.field ? { field: c.field } : {}), raw, start: c.start, end });
  }
  if (warnings.length) flags.warnings = warnings;
  let text = "";
  let at = 0;
  for (const span of spans) {
    text += query.slice(at, span.start);
    at = span.end;
  }
  text += query.slice(at);
  // Runs of whitespace become one space; a lone space is left alone, so a tidy query is not copied.
  text = text.replace(/\s+([,.;!?])/g, "$1").replace(/\s{2,}|[^\S ]/g, " ");
  // Trailing spaces, commas and semicolons go, read from the end (a regular expression would try every space).
  let end = text.length;
  while (end > 0 && (text[end - 1] === "," || text[end - 1] === ";" || /\s/.test(text[end - 1]!))) end--;
  text = text.slice(0, end).trim();
  return { text, flags, spans };
}

/** True when any typed field or other flag is present (on-screen text is content, not a flag). */
export function hasFlags(flags: QueryFlags): boolean {
  return Object.keys(flags).some((k) => k !== "other" && k !== "warnings" && k !== "onScreenText") || Object.keys(flags.other).length > 0;
}
