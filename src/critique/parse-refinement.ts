import { detectRefusal } from "../text/detect-refusal.js";
import { cleanPrompt } from "../optimize/clean.js";
import { readJsonObjects } from "../model/reply-json.js";

export type ParsedRefinement =
  | { ok: true; prompt: string; reflection?: string; from: "json" | "markers" | "label" | "text"; cleaned: string[] }
  | { ok: false; reason: "empty" | "degenerate" | "reasoning-only" | "refusal"; message: string };

const PROMPT_KEYS = ["refinedprompt", "finalrefinedprompt", "refined", "revisedprompt", "rewrittenprompt", "improvedprompt", "prompt", "videoprompt", "output"];
const REFLECTION_KEYS = ["reflection", "reasoning", "explanation", "changes", "notes"];
const norm = (k: string) => k.toLowerCase().replace(/[^a-z]/g, "");
const REASONING = /<(think|thinking|reasoning)>[\s\S]*?(?:<\/\1>|$)/gi;

function pick(obj: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) for (const [k, v] of Object.entries(obj)) if (norm(k) === key && typeof v === "string") return v;
  return undefined;
}

/** The prompt inside the reply: a JSON field, the last [[start]] … [[end]] block, a "Final Refined Prompt:" label, or the text. */
function extract(text: string): { prompt: string; reflection?: string; from: "json" | "markers" | "label" | "text" } {
  for (const obj of readJsonObjects(text).reverse()) {
    const prompt = pick(obj, PROMPT_KEYS);
    if (prompt !== undefined) return { prompt, reflection: pick(obj, REFLECTION_KEYS), from: "json" };
  }
  const reflection = /reflection[^:\n]*:\s*(.+)/i.exec(text)?.[1]?.trim();
  const label = text.search(/final\s+refined\s+prompt\s*:/i);
  const scope = label >= 0 ? text.slice(label) : text;
  // Cut-off replies may lack [[end]]; the last block is the answer (an echoed example comes first).
  const blocks = [...scope.matchAll(/\[\[\s*start\s*\]\]([\s\S]*?)(?:\[\[\s*end\s*\]\]|$)/gi)];
  if (blocks.length) return { prompt: blocks.at(-1)![1]!, reflection, from: "markers" };
  if (label >= 0) return { prompt: scope.replace(/^final\s+refined\s+prompt\s*:/i, ""), reflection, from: "label" };
  return { prompt: text, from: "text" };
}

/** Reads a refiner reply into a one-line prompt (cleaned like any optimizer output), or says why it has none. */
export function parseRefinement(raw: string): ParsedRefinement {
  const text = raw.replace(/\r\n?/g, "\n").replace(REASONING, "").trim();
  if (!text) return { ok: false, reason: raw.trim() ? "reasoning-only" : "empty", message: "the refiner returned no prompt" };
  const found = extract(text);
  const refusal = detectRefusal(found.from === "text" ? text : found.prompt);
  if (refusal.refusal) return { ok: false, reason: "refusal", message: `the refiner declined ("${refusal.matched}")` };
  const cleaned = cleanPrompt(found.prompt);
  if (!cleaned.ok) return { ok: false, reason: cleaned.reason === "degenerate" ? "degenerate" : cleaned.reason === "reasoning-only" ? "reasoning-only" : "empty", message: `the refiner's prompt is unusable: ${cleaned.message}` };
  return { ok: true, prompt: cleaned.prompt, ...(found.reflection ? { reflection: found.reflection } : {}), from: found.from, cleaned: cleaned.changes };
}
