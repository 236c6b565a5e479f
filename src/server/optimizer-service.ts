/**
 * The one file where the server calls the library: optimize, guardedOptimize, judgePrompt, screenSafety and
 * detectRefusal, with the same models and defaults as the CLI. Routes see only this interface.
 */
import { detectRefusal, type RefusalCheck } from "../text/detect-refusal.js";
import { judgePrompt, type JudgeResult } from "../critique/judge-prompt.js";
import type { JudgeFormat } from "../critique/rubric.js";
import { NoModelError } from "../errors.js";
import { guardedOptimize, type GuardPolicy, type GuardedResult } from "../guard/guarded-optimize.js";
import type { ModelInfo, Sampling, TextModel } from "../model/types.js";
import { optimize, type OptimizeResult } from "../optimize/optimize.js";
import { DEFAULT_MAX_QUERY_CHARS, prepareQuery } from "../optimize/query.js";
import { resolveSampling, type PresetName, type ResolvedSampling } from "../optimize/sampling.js";
import { vpoTemplate, type PromptTemplate } from "../optimize/template.js";
import { screenSafety, type SafetyScreen, type SafetyScreenResult } from "../safety/screen-safety.js";
import type { SafetyStageOptions } from "../guard/safety-stages.js";
import { formatResult, promptSpec, type OutputFormat } from "../optimize/prompt-spec.js";
import type { PromptShapeOptions } from "../optimize/shape-options.js";

export interface GuardSettings {
  policy?: GuardPolicy;
  rounds?: number;
  minCoverage?: number;
  judgeFormat?: JudgeFormat;
}

/** What one request asks of the optimizer (the options of `optimize()`, and the guard's). */
export interface OptimizeSettings {
  preset?: PresetName;
  sampling?: Sampling;
  candidates?: number;
  iterations?: number;
  stripFlags?: boolean;
  /** Guard settings, or false for no guard; unset: the server's default (`vpo serve --guard`). */
  guard?: GuardSettings | false;
  keep?: string[];
  protectTerms?: boolean;
  lang?: string;
  negatives?: "compose" | "generate";
  shots?: number;
  /** Add the prompt spec to the result: json as `spec`, text or yaml as `formatted`. */
  format?: OutputFormat;
}

export interface ScreenResult {
  safety: SafetyScreenResult;
  refusal: RefusalCheck;
}

export interface OptimizerService {
  readonly model: ModelInfo;
  readonly judgeModel?: ModelInfo;
  readonly template: { name: string; version: string };
  /** The optimizer's own query check (length limit, control characters); throws InputError. */
  checkQuery(query: string): void;
  /** The sampling a request resolves to (throws UsageError for bad values), for determinism and cache keys. */
  sampling(settings: OptimizeSettings): ResolvedSampling;
  /** Whether a request runs the guard (its own say, else the server's default). */
  guarded(settings: OptimizeSettings): boolean;
  /** Everything a result depends on besides the query: the cache key's other half. */
  identity(settings: OptimizeSettings): unknown;
  optimize(query: string, settings: OptimizeSettings, context: { signal: AbortSignal; onText?: (update: { index: number; text: string }) => void }): Promise<OptimizeResult | GuardedResult>;
  judge(query: string, prompt: string, format: JudgeFormat | undefined, signal: AbortSignal): Promise<JudgeResult>;
  screen(text: string): ScreenResult;
}

export interface OptimizerServiceOptions {
  model: TextModel;
  /** The judge of guarded requests and of /v1/judge (optional: without it the guard's deterministic checks decide). */
  judge?: TextModel;
  template?: PromptTemplate;
  maxQueryChars?: number;
  /** Guard settings a request does not set (the CLI's --policy, --rounds, --min-coverage, --judge-format). */
  guardDefaults?: GuardSettings;
  /** Guard requests that do not say (`vpo serve --guard`). */
  guardByDefault?: boolean;
  /** The safety stages of guarded requests (classifier, policy, controversial action). */
  safety?: SafetyStageOptions;
  /** The screen with the safety policy applied; the default screen otherwise. */
  screen?: SafetyScreen;
  /** Shaping every request gets (a target profile's default negative, languages, shot syntax). */
  shape?: PromptShapeOptions;
}

/** What of the safety stages changes a guarded result: part of the cache key. */
function safetyIdentity(safety: SafetyStageOptions | undefined) {
  if (!safety) return null;
  const c = safety.classifier;
  return { classifier: c ? { model: c.model.info.id, format: c.format } : null, policy: safety.policy?.hash ?? null, controversial: safety.controversial ?? null };
}

/** The shaping fields of a request, unset ones left out (so a server default stands). */
function shapeOf(settings: OptimizeSettings): PromptShapeOptions {
  const { keep, protectTerms, lang, negatives, shots } = settings;
  return Object.fromEntries(Object.entries({ keep, protectTerms, lang, negatives, shots }).filter(([, v]) => v !== undefined));
}

/** The result with its prompt spec, when the request asked for one. */
function withFormat<R extends OptimizeResult>(result: R, format: OutputFormat | undefined): R {
  if (!format) return result;
  return format === "json" ? { ...result, spec: promptSpec(result) } : { ...result, formatted: formatResult(result, format) };
}

export function createOptimizerService(options: OptimizerServiceOptions): OptimizerService {
  const template = options.template ?? vpoTemplate;
  const maxQueryChars = options.maxQueryChars ?? DEFAULT_MAX_QUERY_CHARS;
  const guardOf = (settings: OptimizeSettings) => {
    const guard = settings.guard ?? (options.guardByDefault ? {} : false);
    return guard === false ? undefined : { ...options.guardDefaults, ...guard };
  };
  const base = (settings: OptimizeSettings) => ({
    model: options.model,
    template,
    preset: settings.preset,
    sampling: settings.sampling,
    candidates: settings.candidates,
    iterations: settings.iterations,
    stripFlags: settings.stripFlags,
    maxQueryChars,
    ...options.shape,
    ...shapeOf(settings),
  });
  return {
    model: options.model.info,
    ...(options.judge ? { judgeModel: options.judge.info } : {}),
    template: { name: template.name, version: template.version },
    checkQuery: (query) => void prepareQuery(query, maxQueryChars),
    sampling: (settings) => resolveSampling(settings.preset, settings.sampling),
    identity: (settings) => ({
      model: options.model.info,
      template: template.version,
      sampling: resolveSampling(settings.preset, settings.sampling),
      candidates: settings.candidates ?? 1,
      iterations: settings.iterations ?? 1,
      stripFlags: settings.stripFlags ?? false,
      maxQueryChars,
      shape: { ...options.shape, ...shapeOf(settings), negativesModel: undefined, format: settings.format ?? null },
      guard: guardOf(settings) ? { ...guardOf(settings), judge: options.judge?.info ?? null, safety: safetyIdentity(options.safety) } : null,
    }),
    guarded: (settings) => guardOf(settings) !== undefined,
    async optimize(query, settings, { signal, onText }) {
      const guard = guardOf(settings);
      if (guard) {
        const stages = { ...(options.safety ? { safety: options.safety } : {}), ...(options.screen ? { screen: options.screen } : {}) };
        return withFormat(await guardedOptimize(query, { ...base(settings), ...guard, ...stages, ...(options.judge ? { judge: options.judge } : {}), signal }), settings.format);
      }
      return withFormat(await optimize(query, { ...base(settings), signal, ...(onText ? { onText } : {}) }), settings.format);
    },
    async judge(query, prompt, format, signal) {
      if (!options.judge) throw new NoModelError("this server has no judge model (start vpo serve with --judge-base-url or --judge-model)");
      return judgePrompt(query, prompt, { model: options.judge, format: format ?? options.guardDefaults?.judgeFormat, signal, ...(options.screen ? { screen: options.screen } : {}) });
    },
    screen: (text) => ({ safety: (options.screen ?? screenSafety)(text), refusal: detectRefusal(text) }),
  };
}
