import type { PromptAssessment } from "../critique/assess-prompt.js";
import type { TextModel } from "../model/types.js";
import { classifySafety } from "../safety/classifier/classify-safety.js";
import type { ClassifierFormat, ClassifierPromptStyle, ClassifyResult, SafetyLevel } from "../safety/classifier/types.js";
import type { SafetyAction, SafetyPolicy } from "../safety/policy/safety-policy.js";
import type { SafetyScreenResult } from "../safety/screen-safety.js";

/** A safety classifier model and how to talk to it. */
export interface SafetyClassifier {
  model: TextModel;
  format: ClassifierFormat;
  style?: ClassifierPromptStyle;
}

export interface SafetyStageOptions {
  classifier?: SafetyClassifier;
  /** What a controversial verdict does (default: the policy file's, else sanitize). */
  controversial?: SafetyAction;
  policy?: SafetyPolicy;
}

export type SafetyStage = "input" | "output";
export type SafetyChecker = "screen" | "classifier" | "judge";

/** One checker's verdict on one text, for the report. */
export interface SafetyCheck {
  stage: SafetyStage;
  checker: SafetyChecker;
  /** 0 for the query and the optimizer's first prompt, then one per refinement round's prompt. */
  attempt: number;
  verdict: SafetyLevel | "failed";
  categories: string[];
  action: SafetyAction;
  /** For the classifier: its model, format and own labels. */
  model?: string;
  format?: ClassifierFormat;
  labels?: string[];
  error?: { code: string; message: string };
}

export interface SafetyReport {
  checks: SafetyCheck[];
  controversial: SafetyAction;
  classifier?: { model: string; format: ClassifierFormat };
  /** The policy file's content hash (and its path), when one was given. */
  policy?: { source: string; hash: string };
}

const RANK: Record<SafetyAction, number> = { pass: 0, sanitize: 1, refuse: 2 };
const strongest = (actions: SafetyAction[]): SafetyAction => actions.reduce<SafetyAction>((a, b) => (RANK[b] > RANK[a] ? b : a), "pass");

/**
 * The classifier and policy side of the guard, run at its two stages: the query before optimizing and each prompt
 * after. The screen and judge verdicts the guard already computes are recorded beside the classifier's, so the
 * report names which checker flagged what at which stage. Verdicts are cached per text: the final check of an
 * unchanged prompt costs nothing.
 */
export class SafetyStages {
  readonly checks: SafetyCheck[] = [];
  private readonly cache = new Map<string, Promise<ClassifyResult>>();
  private readonly checkedOutputs = new Map<string, SafetyCheck>();
  private attempt = 0;
  private readonly controversial: SafetyAction;

  constructor(
    private readonly options: SafetyStageOptions,
    /** The guard's --policy: what an unsafe verdict does unless the policy file names the category. */
    private readonly unsafeAction: SafetyAction,
    private readonly signal?: AbortSignal,
  ) {
    this.controversial = unsafeAction === "pass" ? "pass" : options.controversial ?? options.policy?.controversial ?? "sanitize";
  }

  /**
   * What a verdict calls for under the policy: categories switched off are ignored; a controversial verdict takes the
   * controversial action; an unsafe one takes, per category, the policy file's action or else --policy's, the
   * strictest of them winning.
   */
  private decide(level: SafetyLevel | "failed", categories: string[]): { action: SafetyAction; categories: string[] } {
    const off = this.options.policy?.off ?? new Set<string>();
    const active = categories.filter((c) => !off.has(c));
    if (level === "safe" || level === "failed" || (categories.length && !active.length) || this.unsafeAction === "pass") return { action: "pass", categories: active };
    if (level === "controversial") return { action: this.controversial, categories: active };
    const actions = this.options.policy?.actions;
    return { action: active.length ? strongest(active.map((c) => actions?.get(c) ?? this.unsafeAction)) : this.unsafeAction, categories: active };
  }

  private classify(text: string): Promise<ClassifyResult> | undefined {
    const c = this.options.classifier;
    if (!c) return undefined;
    let result = this.cache.get(text);
    if (!result) {
      result = classifySafety(c.model, c.format, text, { style: c.style, signal: this.signal });
      this.cache.set(text, result);
    }
    return result;
  }

  private record(stage: SafetyStage, checker: SafetyChecker, level: SafetyLevel | "failed", categories: string[], extra: Partial<SafetyCheck> = {}): SafetyCheck {
    const decided = this.decide(level, categories);
    const check: SafetyCheck = { stage, checker, attempt: stage === "input" ? 0 : this.attempt, verdict: level, categories: decided.categories, action: decided.action, ...extra };
    this.checks.push(check);
    return check;
  }

  private async classifierCheck(stage: SafetyStage, text: string): Promise<SafetyCheck | undefined> {
    const result = await this.classify(text);
    if (!result) return undefined;
    const extra = { model: result.model, format: result.format, ...(result.verdict ? { labels: result.verdict.labels } : {}), ...(result.error ? { error: result.error } : {}) };
    const check = this.record(stage, "classifier", result.verdict?.level ?? "failed", result.verdict?.categories ?? [], extra);
    if (stage === "output") this.checkedOutputs.set(text, check);
    return check;
  }

  /** The input stage: the screen's verdict on the query (already computed) and the classifier's. */
  async checkInput(query: string, screened: SafetyScreenResult): Promise<{ action: SafetyAction; categories: string[]; changes: string[] }> {
    const screen = this.record("input", "screen", screened.flagged ? "unsafe" : "safe", screened.categories);
    const classifier = await this.classifierCheck("input", query);
    const changes: string[] = [];
    if (classifier?.verdict === "failed") changes.push(`input classifier failed: ${classifier.error?.message ?? "no verdict"}`);
    else if (classifier && classifier.verdict !== "safe") {
      changes.push(`input classifier (${classifier.format}) found the query ${classifier.verdict}${classifier.categories.length ? `: ${classifier.categories.join(", ")}` : ""} → ${classifier.action}`);
    }
    const action = strongest([screen.action, classifier?.action ?? "pass"]);
    return { action, categories: [...new Set([...screen.categories, ...(classifier && classifier.action !== "pass" ? classifier.categories : [])])], changes };
  }

  /** The output stage for one candidate prompt: records the screen, the judge and the classifier, and merges the classifier's finding into the assessment. */
  async checkOutput(prompt: string, a: PromptAssessment): Promise<PromptAssessment> {
    this.record("output", "screen", a.categories.length ? "unsafe" : "safe", a.categories);
    if (a.judge) {
      const category = a.judge.verdict?.category;
      this.record("output", "judge", a.judge.status === "failed" ? "failed" : category === "unsafe" ? "unsafe" : "safe", [], a.judge.error ? { error: a.judge.error } : {});
    }
    const classifier = await this.classifierCheck("output", prompt);
    this.attempt++;
    if (!classifier || classifier.action === "pass") return a;
    return { ...a, categories: [...new Set([...a.categories, ...classifier.categories])], problems: [...new Set([...a.problems, "unsafe" as const])] };
  }

  /** Extra critique for the refiner when the classifier flagged the prompt (it gives no spans to cut). */
  async critique(prompt: string): Promise<string> {
    const result = await this.classify(prompt);
    const v = result?.verdict;
    if (!v || this.decide(v.level, v.categories).action === "pass") return "";
    const what = v.categories.length ? ` (${v.categories.join(", ")})` : "";
    return `A safety classifier finds this prompt ${v.level}${what}: rewrite it so the video shows none of that content, and keep the safe rest of the scene.`;
  }

  /** Why the final prompt may not be delivered, when the classifier still flags it under an action other than pass. */
  async blocksFinal(prompt: string): Promise<string | undefined> {
    // A prompt cut by redaction after the last round has not been through checkOutput: record its verdict too.
    const check = this.checkedOutputs.get(prompt) ?? (await this.classifierCheck("output", prompt));
    if (!check || check.action === "pass") return undefined;
    return `the classifier (${check.format}) still finds the prompt ${check.verdict}${check.categories.length ? ` (${check.categories.join(", ")})` : ""}`;
  }

  /** Whether any classifier call failed: such a run is not reported as passed. */
  get failed(): boolean {
    return this.checks.some((c) => c.checker === "classifier" && c.verdict === "failed");
  }

  report(): SafetyReport {
    const c = this.options.classifier;
    const p = this.options.policy;
    return {
      checks: this.checks,
      controversial: this.controversial,
      ...(c ? { classifier: { model: c.model.info.id, format: c.format } } : {}),
      ...(p ? { policy: { source: p.source, hash: p.hash } } : {}),
    };
  }
}
