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
import { builtinTargets, createTargetRegistry, type TargetRegistry } from "../target/registry.js";
import { targetInfo, type TargetInfo, type TargetSettings } from "../target/target-settings.js";
import { estimatedPromptCounter } from "../target/tokens/estimate.js";
import { screenSafety, type SafetyScreen, type SafetyScreenResult } from "../safety/screen-safety.js";
import type { SafetyStageOptions } from "../guard/safety-stages.js";

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
  /** A target profile id or alias; unset: the server's default (`vpo serve --target`), if any. */
  target?: string;
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
  /** The target a request names (its own, else the server's default); throws UsageError for an unknown one. */
  target(settings: OptimizeSettings): TargetInfo | undefined;
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
  /** The profiles a request's `target` may name (default: the shipped ones; `vpo serve --targets-file` adds more). */
  targets?: TargetRegistry;
  /** The target of requests that name none, with its token counter (`vpo serve --target`, `--target-tokenizer`). */
  defaultTarget?: TargetSettings;
}

/** What of the safety stages changes a guarded result: part of the cache key. */
function safetyIdentity(safety: SafetyStageOptions | undefined) {
  if (!safety) return null;
  const c = safety.classifier;
  return { classifier: c ? { model: c.model.info.id, format: c.format } : null, policy: safety.policy?.hash ?? null, controversial: safety.controversial ?? null };
}

export function createOptimizerService(options: OptimizerServiceOptions): OptimizerService {
  const template = options.template ?? vpoTemplate;
  const maxQueryChars = options.maxQueryChars ?? DEFAULT_MAX_QUERY_CHARS;
  const guardOf = (settings: OptimizeSettings) => {
    const guard = settings.guard ?? (options.guardByDefault ? {} : false);
    return guard === false ? undefined : { ...options.guardDefaults, ...guard };
  };
  const registry = options.targets ?? createTargetRegistry([...builtinTargets(), ...(options.defaultTarget ? [options.defaultTarget.profile] : [])]);
  // Other targets than the default are counted with the estimate: the server holds only the default's tokenizer.
  const targetSettings = new Map<string, TargetSettings>(options.defaultTarget ? [[options.defaultTarget.profile.id, options.defaultTarget]] : []);
  const targetOf = (settings: OptimizeSettings): TargetSettings | undefined => {
    const name = settings.target ?? options.defaultTarget?.profile.id;
    if (name === undefined) return undefined;
    const profile = registry.get(name);
    let found = targetSettings.get(profile.id);
    if (!found) targetSettings.set(profile.id, (found = { profile, counter: estimatedPromptCounter(profile.textEncoder.tokenizer), budget: profile.textEncoder.maxTokens }));
    return found;
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
    ...(targetOf(settings) ? { target: targetOf(settings) } : {}),
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
      guard: guardOf(settings) ? { ...guardOf(settings), judge: options.judge?.info ?? null, safety: safetyIdentity(options.safety) } : null,
      target: targetOf(settings) ? targetInfo(targetOf(settings)!) : null,
    }),
    target: (settings) => {
      const target = targetOf(settings);
      return target ? targetInfo(target) : undefined;
    },
    guarded: (settings) => guardOf(settings) !== undefined,
    async optimize(query, settings, { signal, onText }) {
      const guard = guardOf(settings);
      if (guard) {
        const stages = { ...(options.safety ? { safety: options.safety } : {}), ...(options.screen ? { screen: options.screen } : {}) };
        return guardedOptimize(query, { ...base(settings), ...guard, ...stages, ...(options.judge ? { judge: options.judge } : {}), signal });
      }
      return optimize(query, { ...base(settings), signal, ...(onText ? { onText } : {}) });
    },
    async judge(query, prompt, format, signal) {
      if (!options.judge) throw new NoModelError("this server has no judge model (start vpo serve with --judge-base-url or --judge-model)");
      return judgePrompt(query, prompt, { model: options.judge, format: format ?? options.guardDefaults?.judgeFormat, signal, ...(options.screen ? { screen: options.screen } : {}) });
    },
    screen: (text) => ({ safety: (options.screen ?? screenSafety)(text), refusal: detectRefusal(text) }),
  };
}
