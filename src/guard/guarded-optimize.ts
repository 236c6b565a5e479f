import { parseQuery, type ParsedQuery } from "../intent/parse-query.js";
import { redactUnsafe } from "../safety/redact.js";
import { screenSafety } from "../safety/screen-safety.js";
import { InputError, UsageError } from "../errors.js";
import { addUsage } from "../model/types.js";
import { optimize, type OptimizeResult } from "../optimize/optimize.js";
import { fitToBudget } from "../target/fit-budget.js";
import { DEFAULT_MAX_QUERY_CHARS, isPreparedQuery, readQuery, type PreparedQuery } from "../optimize/query.js";
import { assessPrompt, guardCritique, type PromptAssessment } from "../critique/assess-prompt.js";
import { refinePrompt, type RefineResult } from "../critique/refine-prompt.js";
import { SafetyStages } from "./safety-stages.js";
import { GUARD_POLICIES, type GuardOptions, type GuardReport, type GuardStep, type GuardedResult } from "./guard-types.js";
import { refusedResult, unusableQuery } from "./early-results.js";
import { guardedTerms, innerOptions, shapeGuarded } from "./guard-shape.js";

export { GUARD_POLICIES, type GuardOptions, type GuardPolicy, type GuardReport, type GuardStep, type GuardedResult } from "./guard-types.js";

const union = (...lists: string[][]) => [...new Set(lists.flat())];

/** The query a refuse/sanitize decision screens: a -neg list names what the user does NOT want, so it is left out. */
function screenedQuery(query: PreparedQuery): string {
  const neg = query.spans.filter((s) => s.field === "negativePrompt");
  let out = query.query;
  for (const s of [...neg].reverse()) out = out.slice(0, s.start) + out.slice(s.end);
  return out;
}

/**
 * optimize() with the three principles enforced: input screen → optimize → checks (+ judge) → refine up to R rounds
 * when unsafe, imprecise or a refusal → report. In any policy but pass-through the final prompt never holds a term
 * the safety screen flags (flagged spans are cut out as a last resort). The query is read once (parseQuery) and
 * travels as read through the optimizer, every assessment, the judge and the refiner; a caller that parsed it
 * already (with the same screen) passes the ParsedQuery.
 */
export async function guardedOptimize(query: string | ParsedQuery, options: GuardOptions): Promise<GuardedResult> {
  const policy = options.policy ?? "sanitize";
  if (!["sanitize", "refuse", "pass-through"].includes(policy)) throw new UsageError(`unknown guard policy "${policy}" (expected ${GUARD_POLICIES.join(", ")})`);
  const rounds = options.rounds ?? 2;
  if (!Number.isInteger(rounds) || rounds < 0) throw new UsageError(`rounds must be a non-negative integer, got ${rounds}`);
  if ((options.candidates ?? 1) > 1) throw new UsageError("the guard checks one prompt: use candidates = 1");
  const screen = options.screen ?? screenSafety;
  const refiner = options.refiner ?? options.judge;
  let parsed: ParsedQuery;
  try {
    parsed = isPreparedQuery(query) && "intent" in query ? query : parseQuery(query, { screen, maxChars: options.maxQueryChars ?? DEFAULT_MAX_QUERY_CHARS, caption: options.caption });
  } catch (error) {
    if (error instanceof InputError) return unusableQuery(query, options, policy);
    throw error;
  }
  const input = screen(screenedQuery(parsed));
  const stages = new SafetyStages(options.safety ?? {}, policy === "pass-through" ? "pass" : policy, options.signal);
  const changes: string[] = [];
  const categories = new Set(input.categories);
  if (input.flagged) changes.push(`input screen flagged the query: ${input.categories.join(", ")} (${[...new Set(input.matches.filter((m) => !m.context).map((m) => m.text))].join(", ")})`);
  const report = (status: GuardReport["status"], extra: Partial<GuardReport> = {}): GuardReport => ({
    status, policy, categories: [...categories], flagged: { query: input.matches, prompt: [] }, missing: [], coverage: 0, changes, rounds: 0, steps: [], ...extra,
    ...(status === "passed" && stages.failed ? { status: "fallback" as const } : {}),
    safety: stages.report(),
  });
  // Safety stages, input: the classifier on the query and the policy's per-category actions.
  const inputStage = await stages.checkInput(screenedQuery(parsed), input);
  for (const c of inputStage.categories) categories.add(c);
  changes.push(...inputStage.changes);
  if (policy === "refuse" && input.flagged) {
    changes.push("policy refuse: no prompt for a query the screen flags");
    return { ...refusedResult(parsed, options, `refused: the query asks for ${input.categories.join(", ")} content`), report: report("refused") };
  }
  if (inputStage.action === "refuse") {
    const what = inputStage.categories.join(", ") || "unsafe";
    changes.push(`refused at the input stage (${what})`);
    return { ...refusedResult(parsed, options, `refused: the query asks for ${what} content`), report: report("refused") };
  }
  const terms = guardedTerms(parsed, options, screen, changes);
  const inner = innerOptions(options, terms);
  const result = await optimize(parsed, inner);
  if (result.status === "failed" || result.prompt === null) {
    changes.push(`the optimizer produced no prompt: ${result.error?.message ?? "failed"}`);
    return { ...result, report: report("fallback") };
  }
  // Safety stages, output: each prompt's assessment also goes to the classifier.
  const assess = async (prompt: string) =>
    stages.checkOutput(prompt, await assessPrompt(parsed, prompt, { screen, judge: options.judge, judgeFormat: options.judgeFormat, minCoverage: options.minCoverage, signal: options.signal }));
  // With a target, every rewrite of the guard is brought back within the token budget before it is assessed.
  const refit = async (text: string, when: string): Promise<string | null> => {
    if (!options.target) return text;
    const fit = await fitToBudget(text, { model: options.model, query: parsed.query, counter: options.target.counter, budget: options.target.budget, profile: options.target.profile, signal: options.signal });
    addUsage(result.usage, fit.usage);
    for (const c of fit.changes) changes.push(`${when}: ${c}`);
    if (fit.error) changes.push(`${when}: ${fit.error.message}; kept the prompt over budget`);
    return fit.prompt;
  };
  let prompt = result.prompt;
  let current = await assess(prompt);
  const firstFlags = current.unsafe;
  let judgeFoundUnsafe = false;
  const steps: GuardStep[] = [stepOf(0, "optimize", prompt, current)];
  const note = (a: PromptAssessment) => {
    for (const c of a.categories) categories.add(c);
    if (a.judge?.verdict?.category === "unsafe") judgeFoundUnsafe = true;
    if (a.judge) addUsage(result.usage, a.judge.usage);
  };
  note(current);
  if (policy === "pass-through") {
    if (current.problems.length) changes.push(`pass-through: reported, not changed (${current.problems.join(", ")})`);
    const warnings = new Set(result.warnings);
    const shaped = await shapeGuarded(result, parsed, prompt, terms, options, { screen, passThrough: true, changes, warnings });
    if (warnings.size) result.warnings = [...warnings];
    if ("error" in shaped) return { ...result, ...shaped.fields, prompt: null, status: "failed", error: shaped.error, report: report("fallback", { steps }) };
    return { ...result, ...shaped.fields, prompt: shaped.prompt, report: report(current.problems.length ? "fallback" : "passed", { flagged: { query: input.matches, prompt: firstFlags }, ...intentPart(current), steps }) };
  }
  let round = 0;
  // Without a refiner, each round re-optimizes the query without its flagged terms: read once, reused every round.
  let safeQuery: PreparedQuery | undefined;
  while (round < rounds && current.problems.some((p) => p !== "judge-failed")) {
    round++;
    let action: GuardStep["action"];
    let refine: RefineResult | undefined;
    if (refiner) {
      action = "refine";
      refine = await refinePrompt(parsed, prompt, [guardCritique(current), await stages.critique(prompt)].filter(Boolean).join("\n"), { model: refiner, signal: options.signal });
      addUsage(result.usage, refine.usage);
      if (refine.refined && refine.status === "ok") prompt = refine.refined;
      changes.push(`round ${round}: refined (${current.problems.join(", ")}) → ${refine.status}`);
    } else {
      action = "re-optimize";
      if (!safeQuery) {
        const redacted = redactUnsafe(parsed.query, screen).text.trim();
        safeQuery = redacted && redacted !== parsed.query ? readQuery(redacted, options.maxQueryChars ?? DEFAULT_MAX_QUERY_CHARS) : parsed;
      }
      const seed = options.sampling?.seed === undefined ? undefined : options.sampling.seed + round;
      const again = await optimize(safeQuery, { ...inner, sampling: { ...options.sampling, seed } });
      addUsage(result.usage, again.usage);
      if (again.prompt) prompt = again.prompt;
      changes.push(`round ${round}: re-optimized ${safeQuery === parsed ? "the query" : "the query without its flagged terms"} (${current.problems.join(", ")}) → ${again.status}`);
    }
    prompt = (await refit(prompt, `round ${round}`)) ?? prompt;
    current = await assess(prompt);
    note(current);
    steps.push({ ...stepOf(round, action, prompt, current), ...(refine ? { refine } : {}) });
  }
  if (current.unsafe.length || current.refusal.refusal) {
    const base = current.refusal.refusal ? parsed.text : prompt;
    const cut = redactUnsafe(base, screen);
    if (current.refusal.refusal) changes.push("the prompt is still a refusal: using the query, without its flags and flagged terms");
    if (cut.removed.length) changes.push(`removed flagged terms from the final prompt: ${[...new Set(cut.removed)].join(", ")}`);
    prompt = cut.text;
    if (!/[\p{L}\p{N}]/u.test(prompt)) {
      changes.push("nothing safe is left of the query");
      return { ...result, prompt: null, status: "failed", error: { code: "refused", message: "refused: nothing safe is left of the query" }, report: report("refused", { rounds: round, steps }) };
    }
    current = { ...(await assessPrompt(parsed, prompt, { screen, minCoverage: options.minCoverage })), judge: current.judge };
  }
  const warnings = new Set(result.warnings);
  const shaped = await shapeGuarded(result, parsed, prompt, terms, options, { screen, passThrough: false, changes, warnings });
  Object.assign(result, shaped.fields);
  if (warnings.size) result.warnings = [...warnings];
  if ("error" in shaped) {
    changes.push(shaped.error.message);
    return { ...result, prompt: null, status: "failed", error: shaped.error, report: report("fallback", { rounds: round, steps }) };
  }
  // A re-inserted term or a shot plan is a new prompt: the deterministic checks read it again (the judge's verdict stands).
  if (shaped.prompt !== prompt) current = { ...(await assessPrompt(parsed, shaped.prompt, { screen, minCoverage: options.minCoverage })), judge: current.judge };
  prompt = shaped.prompt;
  const classifierBlock = await stages.blocksFinal(prompt);
  if (classifierBlock) {
    changes.push(`${classifierBlock} after ${round} round(s)`);
    return { ...result, prompt: null, status: "failed", error: { code: "refused", message: `refused: ${classifierBlock}` }, report: report("refused", { rounds: round, steps }) };
  }
  const judgeUnsafe = current.judge?.verdict?.category === "unsafe" && current.problems.includes("unsafe");
  if (judgeUnsafe) {
    changes.push(`the judge still finds unsafe content after ${round} round(s)`);
    return { ...result, prompt: null, status: "failed", error: { code: "refused", message: "refused: the judge still finds the prompt unsafe" }, report: report("refused", { rounds: round, steps }) };
  }
  const unsafeSeen = input.flagged || categories.size > 0 || judgeFoundUnsafe;
  const clean = !current.problems.length;
  const status: GuardReport["status"] = !clean ? "fallback" : unsafeSeen ? "sanitized" : "passed";
  if (unsafeSeen && !changes.some((c) => c.startsWith("round") || c.startsWith("removed"))) changes.push("the optimizer's prompt already left the flagged content out");
  if (current.problems.includes("judge-failed")) changes.push(`the judge failed: ${current.judge?.error?.message ?? "no verdict"}`);
  return { ...result, prompt, ...lengthOf(result, prompt, options), report: report(status, { flagged: { query: input.matches, prompt: firstFlags }, ...intentPart(current), rounds: round, steps }) };
}

/** The final prompt's length against the target's budget (the guard may have rewritten it since optimize counted). */
function lengthOf(result: OptimizeResult, prompt: string, options: GuardOptions): Pick<OptimizeResult, "length"> {
  if (!options.target || !result.length || prompt === result.prompt) return {};
  return { length: { tokens: options.target.counter.count(prompt), budget: options.target.budget, counted: options.target.counter.counted } };
}

function intentPart(a: PromptAssessment): Pick<GuardReport, "missing" | "coverage" | "frame"> {
  return { missing: union(a.intent.missing, a.judge?.verdict?.accurate.missing ?? []), coverage: a.intent.coverage, ...(a.intent.frame ? { frame: a.intent.frame } : {}) };
}

function stepOf(round: number, action: GuardStep["action"], prompt: string, a: PromptAssessment): GuardStep {
  return { round, action, prompt, problems: a.problems, categories: a.categories, missing: a.intent.missing, ...(a.judge ? { judge: a.judge } : {}) };
}
