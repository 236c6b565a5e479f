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

/** Substrings that start with "{" at nesting depth 0, up to the matching "}" or the end of the text (a cut-off reply). */
function braceSpans(text: string): string[] {
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
    else if (c === "{") {
      if (depth === 0) start = i;
      depth++;
    } else if (c === "}" && depth > 0) {
      depth--;
      if (depth === 0) spans.push(text.slice(start, i + 1));
    }
  }
  if (depth > 0 && start >= 0) spans.push(text.slice(start));
  return spans;
}

/**
 * Every JSON object a model reply holds, in order of appearance: fenced blocks, bare objects amid chatter,
 * double-encoded strings, single-quoted or Python-style dicts, and an object cut off at the token limit.
 */
export function readJsonObjects(text: string): LooseObject[] {
  const whole = text.trim();
  if (/^["{[]/.test(whole)) {
    const direct = objectsIn(parseLoose(whole));
    if (direct.length) return direct;
  }
  const out: LooseObject[] = [];
  const fences = [...whole.matchAll(/```[\w-]*[ \t]*\n?([\s\S]*?)(?:```|$)/g)].map((m) => m[1]!);
  for (const block of fences) if (/^\s*["{[]/.test(block)) out.push(...objectsIn(parseLoose(block.trim())));
  if (out.length) return out;
  for (const span of braceSpans(whole)) out.push(...objectsIn(parseLoose(span)));
  return out;
}
