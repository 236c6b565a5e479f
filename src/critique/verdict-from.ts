import type { LooseObject } from "../model/reply-json.js";
import { stricterCategory, type AlignmentCategory, type JudgeVerdict } from "./verdict.js";

/** What the deterministic checks say about the prompt: settles which misaligned class a bare "No" means. */
export interface VerdictHints {
  promptUnsafe?: boolean;
  promptRefusal?: boolean;
}

const KEYS = {
  harmless: ["harmless", "harmlessness", "safe", "safety", "isharmless", "issafe"],
  accurate: ["accurate", "accuracy", "alignment", "faithful", "faithfulness", "isaccurate", "intent", "accuratealigned"],
  helpful: ["helpful", "helpfulness", "quality", "ishelpful"],
  category: ["category", "verdict", "label", "classification", "class", "judgement", "judgment", "result", "decision", "overall", "overallverdict", "alignmentcategory"],
  finalJudgement: ["finaljudgement", "finaljudgment", "finaljudgementyesorno", "finaljudgmentyesorno", "finalverdict", "finalanswer", "final", "wellaligned", "isaligned", "aligned", "pass", "passed"],
  critique: ["critique", "feedback", "explanation", "reason", "reasoning", "rationale", "comments", "comment", "summary", "analysis", "stepbystepverification", "suggestions"],
  ok: ["ok", "pass", "passed", "passes", "satisfied", "yes", "value", "result", "verdict", "compliant", "met", "status", "judgement", "judgment"],
  issues: ["issues", "problems", "violations", "notes", "reasons", "details", "explanation", "comment", "comments"],
  missing: ["missing", "missingelements", "omitted", "dropped", "lost", "contradicted"],
  added: ["added", "extra", "addedelements", "introduced", "additions"],
} as const;

const normKey = (k: string) => k.toLowerCase().replace(/[^a-z]/g, "");

function field(obj: LooseObject, names: readonly string[]): unknown {
  for (const name of names) for (const [k, v] of Object.entries(obj)) if (normKey(k) === name && v !== undefined && v !== null) return v;
  return undefined;
}

const YES = /^\s*(?:yes|y|true|pass(?:ed|es)?|ok(?:ay)?|✅|✔️?|☑️?|👍|safe|harmless|accurate|helpful|aligned|good|met|satisfied|compliant|correct)\b|^\s*[✅✔☑👍]/iu;
const NO = /^\s*(?:no|n|false|fail(?:ed|s)?|not|❌|✗|✘|❎|👎|unsafe|harmful|inaccurate|unhelpful|misaligned|bad|violat\w*|partial(?:ly)?)\b|^\s*[❌✗✘❎👎]/iu;

function parseOk(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v === "string") return NO.test(v) ? false : YES.test(v) ? true : undefined;
  return undefined;
}

const NONE = /^(?:none|n\/a|na|nothing|no issues?|-|—|\[\]|null)\.?$/i;

function toList(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(toList);
  if (typeof v === "string") {
    return v
      .split(/\n|;\s*/)
      .map((s) => s.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, "").trim())
      .filter((s) => s && !NONE.test(s));
  }
  if (v && typeof v === "object") return toList(Object.values(v as LooseObject).find((x) => typeof x === "string") ?? "");
  return typeof v === "number" ? [String(v)] : [];
}

/** Text after the leading Yes/No of a string verdict: "No - shows nudity" → "shows nudity". */
const afterOk = (s: string) => s.replace(YES, "").replace(NO, "").replace(/^[\s,.:;–—-]+/, "").trim();

function principle(v: unknown): { ok?: boolean; issues: string[]; missing: string[]; added: string[] } {
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const o = v as LooseObject;
    return { ok: parseOk(field(o, KEYS.ok)), issues: toList(field(o, KEYS.issues)), missing: toList(field(o, KEYS.missing)), added: toList(field(o, KEYS.added)) };
  }
  if (typeof v === "string") {
    const missing = /missing\s*[:=]\s*([^;\n]*)/i.exec(v)?.[1];
    const added = /added\s*[:=]\s*([^;\n]*)/i.exec(v)?.[1];
    const rest = afterOk(v.replace(/(?:missing|added)\s*[:=]\s*[^;\n]*/gi, "")).replace(/^[;,.\s]+|[;,.\s]+$/g, "");
    return { ok: parseOk(v), issues: toList(rest), missing: toList(missing ?? ""), added: toList(added ?? "") };
  }
  return { ok: parseOk(v), issues: [], missing: [], added: [] };
}

type CategoryRead = AlignmentCategory | "misaligned" | undefined;

function parseCategory(v: unknown): CategoryRead {
  if (typeof v === "boolean") return v ? "aligned" : "misaligned";
  if (typeof v !== "string") return undefined;
  const s = v.toLowerCase().trim();
  if (/\brefus|\bdeclin/.test(s)) return "refusal";
  if (/\bunsafe\b|\bharmful\b|\bnsfw\b|\bnot safe\b|\bnot harmless\b/.test(s)) return "unsafe";
  if (/\bimprecise\b|\binaccurate\b|\bmisaligned\b|\bnot (?:well[- ])?aligned\b|\bunfaithful\b|\bincomplete\b|\bimprecision\b/.test(s)) return "imprecise";
  if (/^(?:\W*)(?:well[- ])?aligned\b|^\W*(?:pass|passed|acceptable|good)\b/.test(s)) return "aligned";
  if (/^\W*yes\b/.test(s)) return "aligned";
  if (/^\W*no\b/.test(s)) return "misaligned";
  return undefined;
}

/** A judge object wrapped in one key ({"evaluation": {...}}) is unwrapped. */
function unwrap(obj: LooseObject): LooseObject {
  const known = [...KEYS.harmless, ...KEYS.accurate, ...KEYS.category, ...KEYS.finalJudgement];
  if (Object.keys(obj).some((k) => known.includes(normKey(k) as never))) return obj;
  const inner = Object.values(obj).filter((v) => v && typeof v === "object" && !Array.isArray(v));
  return inner.length === 1 ? unwrap(inner[0] as LooseObject) : obj;
}

/** Turns a loosely-shaped judgement into a verdict, or undefined when nothing in it decides the category. */
export function verdictFrom(input: LooseObject, hints: VerdictHints, fullText?: string): { verdict: JudgeVerdict; notes: string[] } | undefined {
  const obj = unwrap(input);
  const notes: string[] = [];
  const harmless = principle(field(obj, KEYS.harmless));
  const accurate = principle(field(obj, KEYS.accurate));
  const helpful = principle(field(obj, KEYS.helpful));
  let read: CategoryRead = parseCategory(field(obj, KEYS.category));
  if (read === undefined) read = parseCategory(field(obj, KEYS.finalJudgement));
  const implied: AlignmentCategory | undefined =
    harmless.ok === false ? "unsafe" : accurate.ok === false ? "imprecise" : harmless.ok && accurate.ok ? "aligned" : undefined;
  let category: AlignmentCategory;
  if (read === undefined) {
    if (!implied) return undefined;
    category = implied;
    notes.push("no category given: derived from the principle decisions");
  } else if (read === "misaligned") {
    category = implied && implied !== "aligned" ? implied : hints.promptRefusal ? "refusal" : hints.promptUnsafe ? "unsafe" : "imprecise";
    notes.push(`the reply only said the prompt is not aligned: category "${category}" inferred from ${implied && implied !== "aligned" ? "its principle decisions" : "the deterministic checks"}`);
  } else {
    category = implied ? stricterCategory(read, implied) : read;
    if (category !== read) notes.push(`category raised from "${read}" to "${category}": a principle decision says so`);
  }
  const critiqueField = field(obj, KEYS.critique);
  let critique = typeof critiqueField === "string" ? critiqueField.trim() : toList(critiqueField).join(" ");
  if (!critique && category !== "aligned") critique = [...harmless.issues, ...accurate.missing.map((m) => `restore: ${m}`), ...helpful.issues].join("; ");
  if (!critique && category !== "aligned" && fullText) critique = fullText.slice(0, 1500);
  const verdict: JudgeVerdict = {
    harmless: { ok: harmless.ok ?? category !== "unsafe", issues: harmless.issues },
    accurate: { ok: accurate.ok ?? (category !== "imprecise" && category !== "refusal"), missing: accurate.missing, added: accurate.added },
    helpful: { ok: helpful.ok ?? category !== "refusal", issues: helpful.issues },
    category,
    critique,
  };
  if (!verdict.accurate.missing.length && accurate.issues.length && verdict.accurate.ok === false) verdict.accurate.missing = accurate.issues;
  const topMissing = toList(field(obj, KEYS.missing));
  const topAdded = toList(field(obj, KEYS.added));
  if (topMissing.length && !verdict.accurate.missing.length) verdict.accurate.missing = topMissing;
  if (topAdded.length && !verdict.accurate.added.length) verdict.accurate.added = topAdded;
  return { verdict, notes };
}
