import { screenSafety, type SafetyMatch, type SafetyScreen } from "./screen-safety.js";

export interface Redaction {
  text: string;
  /** The flagged text that was cut out, in order. */
  removed: string[];
}

/** Tidies the seams a cut leaves: doubled spaces and commas, space before punctuation, empty brackets, dangling articles. */
function tidy(text: string): string {
  return text
    .replace(/\(\s*\)|\[\s*\]|"\s*"|“\s*”/g, " ")
    .replace(/\b(a|an|the|and|with|of)\s+(?=[,.;:!?]|$)/gi, "")
    .replace(/\s+([,.;:!?])/g, "$1")
    .replace(/([,;:])(?:\s*[,;:])+/g, "$1")
    .replace(/\s{2,}/g, " ")
    .replace(/^[\s,.;:!?-]+|[\s,;:-]+$/g, "")
    .trim();
}

function cut(text: string, matches: SafetyMatch[]): string {
  const spans = matches.filter((m) => !m.context).sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const m of spans) {
    if (m.end <= at) continue;
    out += text.slice(at, Math.max(at, m.start));
    at = m.end;
  }
  return out + text.slice(at);
}

/**
 * Cuts every flagged span out of a text until the screen finds nothing (a cut can join letters into a new match,
 * so it re-screens, at most 8 times, then drops any word still flagged). The last resort that guarantees a guarded
 * prompt never contains a flagged term.
 */
export function redactUnsafe(text: string, screen: SafetyScreen = screenSafety): Redaction {
  const removed: string[] = [];
  let current = text;
  for (let round = 0; round < 8; round++) {
    const r = screen(current);
    if (!r.flagged) return { text: tidy(current), removed };
    const cuts = r.matches.filter((m) => !m.context);
    if (!cuts.length) break;
    removed.push(...cuts.map((m) => m.text));
    current = cut(current, cuts);
  }
  const words = current.split(/\s+/).filter((w) => !screen(w).flagged);
  return { text: tidy(words.join(" ")), removed };
}
