/**
 * The parts of the server's answers the playground reads (mirrors of vpo's library types, kept minimal: the
 * server's documentation is `GET /openapi.json` and the README's HTTP section).
 */

export interface ModelInfo {
  backend: string;
  id: string;
}

export interface ServerInfo {
  model: ModelInfo;
  judge: ModelInfo | null;
  template: { name: string; version: string };
  presets: string[];
  /** The server's guard defaults (`vpo serve --policy`): the page starts with its policy. */
  guard: { policies: string[]; byDefault: boolean; policy?: RunSettings["guard"] };
}

export interface Span {
  start: number;
  end: number;
  text: string;
}

export interface SafetyMatch extends Span {
  category: string;
  term: string;
  context?: boolean;
}

export interface QueryFlags {
  aspectRatio?: string;
  negativePrompt?: string;
  camera?: string;
  motion?: number;
  fps?: number;
  seed?: number;
  guidanceScale?: number;
  onScreenText?: { text: string; font?: string };
  other: Record<string, string>;
  warnings?: string[];
}

export type IntentKind = "content" | "number" | "quoted" | "on-screen-text" | "name" | "style" | "camera" | "negative";

export interface IntentItem {
  kind: IntentKind;
  text: string;
  required: boolean;
}

/** POST /v1/parse */
export interface QueryReading {
  query: string;
  text: string;
  flags: QueryFlags;
  intent: { items: IntentItem[] };
  safety: { flagged: boolean; categories: string[]; matches: SafetyMatch[] };
}

export interface JudgeVerdict {
  harmless: { ok: boolean; issues: string[] };
  accurate: { ok: boolean; missing: string[]; added: string[] };
  helpful: { ok: boolean; issues: string[] };
  category: "aligned" | "unsafe" | "imprecise" | "refusal";
  critique: string;
}

export interface JudgeResult {
  status: "ok" | "failed";
  verdict?: JudgeVerdict;
  model: ModelInfo;
  error?: { message: string };
}

export interface IntentItemReport extends IntentItem {
  status: "kept" | "missing" | "contradicted" | "unsafe";
  keptBy?: "exact" | "form" | "synonym" | "hyponym";
  keptAs?: string;
}

/** POST /v1/assess */
export interface Assessment {
  unsafe: SafetyMatch[];
  categories: string[];
  refusal: { refusal: boolean; matched?: string };
  intent: { coverage: number; missing: string[]; contradicted: string[]; passed: boolean; items: IntentItemReport[] };
  judge?: JudgeResult;
  problems: string[];
}

export type GuardStatus = "passed" | "sanitized" | "refused" | "fallback";

export interface GuardStep {
  round: number;
  action: string;
  prompt: string | null;
  judge?: JudgeResult;
}

export interface GuardReport {
  status: GuardStatus;
  policy: string;
  categories: string[];
  flagged: { query: SafetyMatch[]; prompt: SafetyMatch[] };
  missing: string[];
  coverage: number;
  changes: string[];
  rounds: number;
  steps: GuardStep[];
}

/** POST /v1/optimize's `result` */
export interface OptimizeResult {
  query: string;
  prompt: string | null;
  flags: QueryFlags;
  model: ModelInfo;
  sampling: { preset: string; temperature: number; topP: number; seed?: number };
  status: "ok" | "failed";
  error?: { code: string; message: string };
  warnings?: string[];
  report?: GuardReport;
  /** With n > 1: every candidate, in seed order (a failed one keeps its error). */
  candidates?: { prompt: string | null; status: "ok" | "failed"; seed?: number; error?: { code: string; message: string } }[];
  /** With `select`: how the winner was picked. */
  selection?: Selection;
}

export type SelectMethod = "checks" | "judge" | "tournament";

/** One candidate as the selection measured it; `index` counts the candidates whose generation succeeded. */
export interface SelectedCandidate {
  index: number;
  prompt: string;
  safe: boolean;
  rank: number;
  scores: {
    checks: { safe: boolean; intentPassed: boolean; coverage: number; requiredMissing: string[]; words: number; withinBudget: boolean };
    judge?: { harmless: number; accurate: number; helpful: number; total: number };
    /** Tournament: the round it lost in (the winner: the rounds played). */
    round?: number;
  };
  errors?: { step: string; message: string }[];
  skipped?: string;
}

/** POST /v1/optimize's `selection` (vpo's selectBest()). */
export interface Selection {
  method: SelectMethod;
  winner: number;
  prompt: string;
  candidates: SelectedCandidate[];
  why: string;
  matches?: { round: number; a: number; b: number; winner: number }[];
}

/** What the controls ask of the server; `guard: "off"` sends `guard: false`. */
export interface RunSettings {
  preset: string;
  seed: number;
  candidates: number;
  guard: "off" | "sanitize" | "refuse" | "pass-through";
  /** Pick the best: one request for every candidate, unguarded, scored by the server. */
  select: "none" | SelectMethod;
}
