import type { ModelOutputReason } from "../errors.js";

export type CleanResult =
  | { ok: true; prompt: string; /** what cleaning removed, for the audit trail */ changes: string[] }
  | { ok: false; reason: ModelOutputReason; message: string };

const REASONING = /<(think|thinking|reasoning)>[\s\S]*?<\/\1>/gi;
const LABEL = /^[\s>*_#"'`]*(?:final\s+|optimi[sz]ed\s+|refined\s+|improved\s+|expanded\s+|enhanced\s+|rewritten\s+)?(?:video\s+)?prompt[*_\s]*:[*_\s]*/im;
const HEADING_LABEL = /^\s*#{1,6}\s*[\w\s-]{0,30}prompt\s*:?\s*\n/i;
const LEAD_IN =
  /^(?:(?:sure|certainly|of course|absolutely|okay|ok|great|alright)\b[^\n:]{0,80}[.!:,]\s*)?(?:here(?:'s| is| are)|below is|i(?:'ve| have) (?:expanded|rewritten|created|written|crafted))\b[^\n:]{0,120}:\s*/i;
const PLEASANTRY = /^(?:sure|certainly|of course|absolutely|okay|ok|great|alright)\b[^\n]{0,80}?[.!]\s+/i;
const CHATTER = /^(?:i hope|hope this|let me know|feel free|note:|this (?:video )?prompt\b|this description\b|would you like|if you(?:'d| would) like)/i;
const VIDEO_OPENS = /^(?:in this video,\s*|(?:the|this) (?:video|clip|scene|footage) (?:opens|begins|starts) (?:with|on)\s+)/i;
const QUOTES: [string, string][] = [['"', '"'], ["“", "”"], ["'", "'"], ["‘", "’"], ["«", "»"], ["`", "`"]];

function stripReasoning(text: string, changes: string[]): string {
  let out = text.replace(REASONING, () => {
    changes.push("reasoning block");
    return "";
  });
  const close = out.search(/<\/(think|thinking|reasoning)>/i);
  if (close >= 0) {
    // Some servers strip the opening tag: everything before a lone closing tag is reasoning.
    out = out.slice(out.indexOf(">", close) + 1);
    changes.push("reasoning block");
  }
  const open = out.search(/<(think|thinking|reasoning)>/i);
  if (open >= 0) {
    out = out.slice(0, open);
    changes.push("unterminated reasoning");
  }
  return out;
}

function stripFences(text: string, changes: string[]): string {
  const fenced = /^```[\w-]*\s*\n?([\s\S]*?)\n?```\s*$/.exec(text.trim());
  if (!fenced) return text;
  changes.push("code fence");
  return fenced[1]!;
}

function stripLabel(text: string, changes: string[]): string {
  // The prompt follows the last label, so "Video Prompt:" echoed after a preamble is handled too.
  let out = text;
  const heading = HEADING_LABEL.exec(out);
  if (heading && out.slice(heading[0].length).trim()) {
    out = out.slice(heading[0].length);
    changes.push("label");
  }
  for (let guard = 0; guard < 4; guard++) {
    const m = LABEL.exec(out);
    if (!m || out.slice(m.index + m[0].length).trim() === "") break;
    out = out.slice(m.index + m[0].length);
    changes.push("label");
  }
  return out;
}

function stripLeadIn(text: string, changes: string[]): string {
  let out = text.trimStart();
  const m = LEAD_IN.exec(out);
  if (m && out.slice(m[0].length).trim()) {
    out = out.slice(m[0].length);
    changes.push("lead-in");
  } else {
    const p = PLEASANTRY.exec(out);
    if (p && out.slice(p[0].length).trim()) {
      out = out.slice(p[0].length);
      changes.push("lead-in");
    }
  }
  return out;
}

function stripChatter(text: string, changes: string[]): string {
  const paragraphs = text.split(/\n\s*\n/);
  while (paragraphs.length > 1 && CHATTER.test(paragraphs.at(-1)!.trim().replace(/^[*_]+/, ""))) {
    paragraphs.pop();
    changes.push("trailing chatter");
  }
  return paragraphs.join("\n\n");
}

function stripMarkdown(text: string, changes: string[]): string {
  const out = text
    .replace(/^\s{0,3}#{1,6}\s+/gm, "")
    .replace(/^\s*(?:[-*•]|\d+[.)])\s+/gm, "")
    .replace(/\*\*([^*\n]+)\*\*/g, "$1")
    .replace(/__([^_\n]+)__/g, "$1")
    .replace(/(?<![\w*])\*([^*\n]+)\*(?![\w*])/g, "$1");
  if (out !== text) changes.push("markdown");
  return out;
}

function stripQuotes(text: string, changes: string[]): string {
  let out = text.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [open, close] of QUOTES) {
      const inner = out.slice(open.length, out.length - close.length);
      if (out.length > 2 && out.startsWith(open) && out.endsWith(close) && !inner.includes(close === open ? open : close)) {
        out = inner.trim();
        changes.push("wrapping quotes");
        changed = true;
      }
    }
  }
  return out;
}

function stripVideoOpens(text: string, changes: string[]): string {
  const m = VIDEO_OPENS.exec(text);
  if (!m) return text;
  changes.push(`"${m[0].trim()}" lead-in`);
  const rest = text.slice(m[0].length);
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/** True when some run of 1–12 words repeats at least `minRepeats` times back to back: a generation loop. */
export function hasRepetitionLoop(text: string, minRepeats = 4): boolean {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  const sameRun = (a: number, b: number, n: number) => {
    for (let k = 0; k < n; k++) if (words[a + k] !== words[b + k]) return false;
    return true;
  };
  for (let n = 1; n <= 12; n++) {
    for (let i = 0; i + n * minRepeats <= words.length; i++) {
      let repeats = 1;
      while (repeats < minRepeats && sameRun(i, i + repeats * n, n)) repeats++;
      if (repeats >= minRepeats) return true;
    }
  }
  return false;
}

/**
 * Turns a model's raw reply into a one-line video prompt: drops reasoning blocks, code fences, labels, lead-ins
 * ("Here is…", "The video opens with"), markdown, wrapping quotes and trailing chatter. An empty or degenerate
 * result is a failure with a reason, never a prompt. `context.query` (what the model was asked to rewrite) lets a
 * prompt repeat what the query itself repeats.
 */
export function cleanPrompt(raw: string, context: { query?: string } = {}): CleanResult {
  const changes: string[] = [];
  let text = raw.replace(/\r\n?/g, "\n");
  text = stripReasoning(text, changes);
  if (!text.trim() && changes.length) return { ok: false, reason: "reasoning-only", message: "the model produced only reasoning, no prompt" };
  text = stripFences(text, changes);
  text = stripLeadIn(text, changes);
  text = stripLabel(text, changes);
  text = stripChatter(text.trim(), changes);
  text = stripMarkdown(text, changes);
  text = text.replace(/\s+/g, " ");
  text = stripQuotes(text, changes);
  text = stripVideoOpens(text, changes);
  text = stripQuotes(text, changes).trim();
  if (!text) return { ok: false, reason: "empty", message: "the model returned an empty prompt" };
  if (!/[\p{L}\p{N}]/u.test(text)) return { ok: false, reason: "degenerate", message: "the model returned no words" };
  // A query that itself repeats ("quiero quiero quiero quiero") may be echoed faithfully: only a loop the query lacks is one.
  if (hasRepetitionLoop(text) && !(context.query && hasRepetitionLoop(context.query))) {
    return { ok: false, reason: "degenerate", message: "the model's output repeats itself in a loop" };
  }
  return { ok: true, prompt: text, changes: [...new Set(changes)] };
}
