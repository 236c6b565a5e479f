import type { LooseObject } from "../model/reply-json.js";

/** Labels a free-text judgement may use, by the field they feed. */
const LABELS: [field: string, pattern: RegExp][] = [
  ["finalJudgement", /^final\s+(?:judge?ment|verdict|answer|decision)(?:\s*\([^)]*\))?$/],
  ["harmless", /^(?:\d+\.\s*)?(?:harmless(?:ness)?|safety|safe)(?:\s*\([^)]*\))?$/],
  ["accurate", /^(?:\d+\.\s*)?(?:accura(?:te|cy)|alignment|aligned with (?:the )?query|faithful(?:ness)?)(?:\s*\([^)]*\))?$/],
  ["helpful", /^(?:\d+\.\s*)?(?:helpful(?:ness)?|quality)(?:\s*\([^)]*\))?$/],
  ["category", /^(?:category|classification|class|label|verdict|overall(?: verdict)?|judge?ment|result)$/],
  ["critique", /^(?:critique|feedback|explanation|reason(?:ing)?|rationale|comments?|suggestions?|step-by-step verification|analysis)$/],
  ["missing", /^(?:missing(?: elements)?|omitted|dropped)$/],
  ["added", /^(?:added(?: elements)?|extra(?: elements)?)$/],
];

function fieldFor(label: string): string | undefined {
  const l = label.toLowerCase().replace(/\s+/g, " ").trim();
  return LABELS.find(([, re]) => re.test(l))?.[0];
}

/** Removes markdown emphasis, headings, bullets and XML-ish tags so "**Harmless:** ✅" reads as "Harmless: ✅". */
function plain(text: string): string {
  return text
    .replace(/<(\w+)>\s*([\s\S]*?)\s*<\/\1>/g, (_, tag: string, body: string) => `\n${tag}: ${body}\n`)
    .replace(/\*\*|__|`/g, "")
    .replace(/^\s{0,3}#{1,6}\s*/gm, "")
    .replace(/^\s*(?:[-*•]|\d+[.)])\s+/gm, "");
}

/**
 * Reads "Label: value" lines of a free-text judgement (also "Label - value" and "Label — value"). A value runs on
 * until the next recognised label, so a multi-line critique is kept whole. Later labels win, except that the first
 * critique-like block is kept. `finalJudgement` is the LAST "Final Judgement (Yes or No): …" in the text, so an echoed
 * query or example cannot decide it.
 */
export function readLabelledText(text: string): LooseObject {
  const out: LooseObject = {};
  let current: string | undefined;
  let buffer: string[] = [];
  const flush = () => {
    if (!current) return;
    const value = buffer.join("\n").trim();
    if (current === "critique" && typeof out.critique === "string" && out.critique) out.critique = `${out.critique}\n${value}`;
    else out[current] = value;
  };
  for (const line of plain(text).split("\n")) {
    const m = /^\s*([A-Za-z][A-Za-z0-9 .()\-/]{1,60}?)\s*(?::|\s[-–—]\s)\s*(.*)$/.exec(line);
    const field = m ? fieldFor(m[1]!) : undefined;
    if (m && field) {
      flush();
      current = field;
      buffer = [m[2]!];
    } else if (current) buffer.push(line);
  }
  flush();
  return out;
}
