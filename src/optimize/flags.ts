import { decodeHTML } from "entities";

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
  /** Any other flag in the flag tail ("--v 5", "-hide", "--style raw"): name → value ("" when it has none). */
  other: Record<string, string>;
}

export interface FlagSpan {
  name: string;
  raw: string;
  start: number;
  end: number;
}

export interface ParsedQuery {
  /** The query with every recognised flag removed, whitespace tidied. */
  text: string;
  flags: QueryFlags;
  spans: FlagSpan[];
}

type Field = "aspectRatio" | "negativePrompt" | "camera" | "motion" | "fps" | "seed" | "guidanceScale";

const KNOWN: Record<string, Field> = {
  ar: "aspectRatio",
  aspect: "aspectRatio",
  neg: "negativePrompt",
  negative: "negativePrompt",
  no: "negativePrompt",
  camera: "camera",
  cam: "camera",
  motion: "motion",
  fps: "fps",
  seed: "seed",
  gs: "guidanceScale",
  guidance: "guidanceScale",
};
const NUMERIC = new Set<Field>(["motion", "fps", "seed", "guidanceScale"]);

/**
 * A flag starts a word: one or two dashes, then a name. A known name may carry its number attached ("-gs24");
 * an unknown name counts only in the flag tail (after a known flag), so "t-shirt" or "a - b" never match.
 */
const FLAG = /(?<=^|\s)--?([A-Za-z][A-Za-z_]*)(?=[\s\d:.=]|$)/g;

function cleanValue(raw: string): string {
  return decodeHTML(raw)
    .trim()
    .replace(/^[=:]\s*/, "")
    .replace(/^["'“”‘’«]+|["'“”‘’»]+$/g, "")
    .replace(/[\s,;]+$/, "")
    .replace(/\s+/g, " ")
    .trim();
}

function numberIn(value: string): number | undefined {
  const match = /^[+-]?\d+(?:\.\d+)?/.exec(value);
  return match ? Number(match[0]) : undefined;
}

export function parseQueryFlags(query: string): ParsedQuery {
  const matches = [...query.matchAll(FLAG)];
  const firstKnown = matches.findIndex((m) => KNOWN[m[1]!.toLowerCase()] !== undefined);
  const flags: QueryFlags = { other: {} };
  const spans: FlagSpan[] = [];
  if (firstKnown < 0) return { text: query.trim(), flags, spans };

  // From the first known flag on, every flag-shaped word is a flag; its value runs to the next flag.
  const tail = matches.slice(firstKnown);
  // Known flags before the tail start (rare: "-ar 16:9 a cat") are handled the same way.
  const all = [...matches.slice(0, firstKnown).filter((m) => KNOWN[m[1]!.toLowerCase()] !== undefined), ...tail];
  for (const [i, m] of all.entries()) {
    const name = m[1]!.toLowerCase();
    const start = m.index!;
    const valueStart = start + m[0].length;
    const next = all[i + 1]?.index ?? query.length;
    const field = KNOWN[name];
    let end = next;
    let value = query.slice(valueStart, next);
    if (field && NUMERIC.has(field)) {
      const n = /^\s*[=:]?\s*([+-]?\d+(?:\.\d+)?)/.exec(value);
      if (n) {
        const parsed = numberIn(n[1]!);
        if (parsed !== undefined && flags[field] === undefined) (flags as unknown as Record<string, number>)[field] = parsed;
        end = valueStart + n[0].length;
      } else {
        end = valueStart;
      }
      // A trailing dot after a number ("-gs 20.") is sentence punctuation, part of the flag.
      const dot = /^\.(?=\s|$)/.exec(query.slice(end));
      if (dot) end += 1;
      value = query.slice(valueStart, end);
    } else if (field === "aspectRatio") {
      const ratio = /^\s*[=:]?\s*(\d+(?:\.\d+)?)\s*[:x/]\s*(\d+(?:\.\d+)?)/i.exec(value);
      if (ratio) {
        flags.aspectRatio ??= `${ratio[1]}:${ratio[2]}`;
        end = valueStart + ratio[0].length;
      } else {
        end = valueStart;
      }
    } else if (field) {
      const text = cleanValue(value);
      if (text) {
        const key = field as "negativePrompt" | "camera";
        flags[key] = flags[key] ? `${flags[key]}, ${text}` : text;
      }
    } else {
      flags.other[name] = cleanValue(value);
    }
    spans.push({ name, raw: query.slice(start, end), start, end });
  }
  spans.sort((a, b) => a.start - b.start);
  let text = "";
  let at = 0;
  for (const span of spans) {
    text += query.slice(at, span.start);
    at = span.end;
  }
  text += query.slice(at);
  text = text.replace(/\s+([,.;!?])/g, "$1").replace(/\s+/g, " ").replace(/[\s,;]+$/, "").trim();
  return { text, flags, spans };
}

/** True when any typed field or other flag is present. */
export function hasFlags(flags: QueryFlags): boolean {
  return Object.keys(flags).some((k) => k !== "other") || Object.keys(flags.other).length > 0;
}
