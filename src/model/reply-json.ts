import { jsonrepair } from "jsonrepair";

export type LooseObject = Record<string, unknown>;

const isObject = (v: unknown): v is LooseObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** JSON.parse, then jsonrepair (single quotes, Python constants, trailing commas, comments, a cut-off tail). */
function parseLoose(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    try {
      return JSON.parse(jsonrepair(text));
    } catch {
      return undefined;
    }
  }
}

/** Objects in a parsed value: the value itself, a JSON string holding an object, or the objects of an array. */
function objectsIn(value: unknown, depth = 0): LooseObject[] {
  if (isObject(value)) return [value];
  if (typeof value === "string" && depth < 2 && /^\s*[{[]/.test(value)) return objectsIn(parseLoose(value), depth + 1);
  if (Array.isArray(value)) return value.flatMap((v) => objectsIn(v, depth + 1));
  return [];
}

/** Objects and arrays in a parsed value: the value itself, or what a JSON string holding one decodes to. */
function structuresIn(value: unknown, depth = 0): (LooseObject | unknown[])[] {
  if (isObject(value) || Array.isArray(value)) return [value];
  if (typeof value === "string" && depth < 2 && /^\s*[{[]/.test(value)) return structuresIn(parseLoose(value), depth + 1);
  return [];
}

/**
 * Substrings that open at nesting depth 0 ("{", or also "[" with `arrays`), up to the matching close or the end of
 * the text (a cut-off reply).
 */
function topLevelSpans(text: string, arrays: boolean): string[] {
  const open = arrays ? "{[" : "{";
  const close = arrays ? "}]" : "}";
  const spans: string[] = [];
  let depth = 0;
  let start = -1;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' && depth > 0) quote = c;
    else if (open.includes(c)) {
      if (depth === 0) start = i;
      depth++;
    } else if (close.includes(c) && depth > 0) {
      depth--;
      if (depth === 0) spans.push(text.slice(start, i + 1));
    }
  }
  if (depth > 0 && start >= 0) spans.push(text.slice(start));
  return spans;
}

const FENCE = /```[\w-]*[ \t]*\n?([\s\S]*?)(?:```|$)/g;

/**
 * The JSON a model reply holds, in order, read as tolerantly as the reply demands: the whole reply, else its fenced
 * blocks, else every top-level object amid chatter. `pick` keeps what a reader wants from each parsed value.
 */
function readReply<T>(text: string, pick: (value: unknown) => T[], arrays: boolean): T[] {
  const whole = text.trim();
  if (/^["{[]/.test(whole)) {
    const direct = pick(parseLoose(whole));
    if (direct.length) return direct;
  }
  const out: T[] = [];
  const fences = [...whole.matchAll(FENCE)].map((m) => m[1]!);
  for (const block of fences) if (/^\s*["{[]/.test(block)) out.push(...pick(parseLoose(block.trim())));
  if (out.length) return out;
  for (const span of topLevelSpans(whole, arrays)) out.push(...pick(parseLoose(span)));
  return out;
}

/**
 * Every JSON object a model reply holds, in order of appearance: fenced blocks, bare objects amid chatter,
 * double-encoded strings, single-quoted or Python-style dicts, and an object cut off at the token limit.
 */
export function readJsonObjects(text: string): LooseObject[] {
  return readReply(text, (value) => objectsIn(value), false);
}

/** Like readJsonObjects, but also top-level arrays (`["yes", "no"]`), each as parsed: for replies that answer with a list. */
export function readJsonValues(text: string): (LooseObject | unknown[])[] {
  return readReply(text, (value) => structuresIn(value), true);
}
