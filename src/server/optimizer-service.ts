/**
 * The one file where the server calls the library: optimize, guardedOptimize, selectFromResult, imageFromRequest,
 * judgePrompt, screenSafety and detectRefusal, with the same models and defaults as the CLI. Routes see only this
 * interface.
 */
import { createHash } from "node:crypto";
import { imageConditioning, selectionImage } from "../image/image-conditioning.js";
import { imageFromRequest } from "../image/image-from-request.js";
import type { LoadedImage } from "../image/load-image.js";
import { DEFAULT_MAX_IMAGE_BYTES } from "../image/load-image.js";
import { selectFromResult } from "../select/select-result.js";
import type { SelectMethod } from "../select/types.js";
import { detectRefusal, type RefusalCheck } from "../text/detect-refusal.js";
import { assessPrompt, type PromptAssessment } from "../critique/assess-prompt.js";
import { judgePrompt, type JudgeResult } from "../critique/judge-prompt.js";
import type { JudgeFormat } from "../critique/rubric.js";
import { NoModelError, UsageError } from "../errors.js";
import { guardedOptimize, type GuardPolicy, type GuardedResult } from "../guard/guarded-optimize.js";
import { parseQuery, type ParsedQuery } from "../intent/parse-query.js";
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
  /** Pick the best of the candidates (selectBest); the result keeps every candidate with its scores and the why. */
  select?: SelectMethod;
  /** Image-to-video: the first frame (from `image()`), shown to the optimizer with the i2v template. */
  image?: LoadedImage;
  keep?: string[];
  protectTerms?: boolean;
  lang?: string;
  negatives?: "compose" | "generate";
  shots?: number;
  /** Add the prompt spec to the result: json as `spec`, text or yaml as `formatted`. */
  format?: OutputFormat;
  /** A target profile id or alias; unset: the server's default (`vpo serve --target`), if any. */
  target?: string;
}

export interface ScreenResult {
  safety: SafetyScreenResult;
  refusal: RefusalCheck;
}

/** A query as the guard reads it, plus the safety screen's matches in its prepared text (for the playground). */
export interface QueryReading extends ParsedQuery {
  safety: SafetyScreenResult;
}

export interface AssessSettings {
  /** Ask the judge too when the server has one (default true). */
  judge?: boolean;
  minCoverage?: number;
  signal: AbortSignal;
}

export interface OptimizerService {
  readonly model: ModelInfo;
  readonly judgeModel?: ModelInfo;
  readonly template: { name: string; version: string };
  /** The optimizer's own query check (length limit, control characters); throws InputError. */
  checkQuery(query: string): void;
  /** Whether this server can select as asked (a judge for judge and tournament; no guard); throws UsageError. */
  checkSelect(settings: OptimizeSettings): void;
  /** A request's image (a data URL, or an http(s) URL when allowed), checked and scaled; InputError or 413 otherwise. */
  image(raw: string, signal: AbortSignal): Promise<LoadedImage>;
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
  /** parseQuery with the server's screen and query limit (throws InputError), and the screen of the query. */
  parse(query: string): QueryReading;
  /** assessPrompt against the query: screen, refusal, intent, then the judge when asked and configured. */
  assess(query: string, prompt: string, settings: AssessSettings): Promise<PromptAssessment>;
  /** Whether requests that do not say run the guard (`vpo serve --guard`), and its defaults. */
  readonly guardDefaults: { byDefault: boolean } & GuardSettings;
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
  /** Let `image` be an http(s) URL the server downloads (`vpo serve --allow-image-urls`; default: data URLs only). */
  allowImageUrls?: boolean;
  /** Largest image a request may send or name (default 4 MiB; the body limit caps data URLs too). */
  maxImageBytes?: number;
  /** Shaping every request gets (a target profile's default negative, languages, shot syntax). */
  shape?: PromptShapeOptions;
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
    ...options.shape,
    ...shapeOf(settings),
    ...(targetOf(settings) ? { target: targetOf(settings) } : {}),
  });
  return {
    model: options.model.info,
    ...(options.judge ? { judgeModel: options.judge.info } : {}),
    template: { name: template.name, version: template.version },
    checkQuery: (query) => void prepareQuery(query, maxQueryChars),
    checkSelect(settings) {
      if (!settings.select) return;
      if (guardOf(settings)) throw new UsageError("select picks among unguarded candidates: send guard: false with select");
      if (settings.select === "reward") throw new UsageError("this server has no video and reward backends: select by checks, judge or tournament");
      if ((settings.select === "judge" || settings.select === "tournament") && !options.judge) throw new UsageError(`select ${settings.select} needs a judge, and this server has none (start vpo serve with --judge-base-url or --judge-model)`);
    },
    image: (raw, signal) => imageFromRequest(raw, { allowUrls: options.allowImageUrls ?? false, maxBytes: options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES, signal }),
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
      select: settings.select ? { method: settings.select, judge: settings.select === "checks" ? null : options.judge?.info ?? null } : null,
      image: settings.image ? createHash("sha256").update(settings.image.data).digest("hex") : null,
      target: targetOf(settings) ? targetInfo(targetOf(settings)!) : null,
    }),
    target: (settings) => {
      const target = targetOf(settings);
      return target ? targetInfo(target) : undefined;
    },
    guarded: (settings) => guardOf(settings) !== undefined,
    async optimize(query, settings, { signal, onText }) {
      const guard = guardOf(settings);
      // Vision mode: the optimizer sees the frame (the server has no caption model).
      const conditioning = settings.image ? await imageConditioning(settings.image, { base: template }) : undefined;
      const withImage = <R extends object>(result: R) => (conditioning ? { ...result, image: conditioning.image } : result);
      const request = { ...base(settings), ...(conditioning ? { template: conditioning.template } : {}) };
      if (guard) {
        const stages = { ...(options.safety ? { safety: options.safety } : {}), ...(options.screen ? { screen: options.screen } : {}) };
        return withFormat(withImage(await guardedOptimize(query, { ...request, ...guard, ...stages, ...(options.judge ? { judge: options.judge } : {}), signal })), settings.format);
      }
      const result = await optimize(query, { ...request, signal, ...(onText ? { onText } : {}) });
      if (!settings.select) return withFormat(withImage(result), settings.format);
      const selectOptions = { method: settings.select, ...(options.judge ? { judge: options.judge } : {}), ...(options.screen ? { screen: options.screen } : {}), ...(conditioning ? { image: selectionImage(conditioning) } : {}), signal };
      return withFormat(withImage(await selectFromResult(result, selectOptions)), settings.format);
    },
    async judge(query, prompt, format, signal) {
      if (!options.judge) throw new NoModelError("this server has no judge model (start vpo serve with --judge-base-url or --judge-model)");
      return judgePrompt(query, prompt, { model: options.judge, format: format ?? options.guardDefaults?.judgeFormat, signal, ...(options.screen ? { screen: options.screen } : {}) });
    },
    screen: (text) => ({ safety: (options.screen ?? screenSafety)(text), refusal: detectRefusal(text) }),
    parse(query) {
      const screen = options.screen ?? screenSafety;
      const parsed = parseQuery(query, { screen, maxChars: maxQueryChars });
      return { ...parsed, safety: screen(parsed.query) };
    },
    async assess(query, prompt, settings) {
      const screen = options.screen ?? screenSafety;
      const parsed = parseQuery(query, { screen, maxChars: maxQueryChars });
      const judge = settings.judge === false ? undefined : options.judge;
      return assessPrompt(parsed, prompt, {
        screen,
        ...(judge ? { judge } : {}),
        judgeFormat: options.guardDefaults?.judgeFormat,
        minCoverage: settings.minCoverage ?? options.guardDefaults?.minCoverage,
        signal: settings.signal,
      });
    },
    guardDefaults: { byDefault: options.guardByDefault === true, ...options.guardDefaults },
  };
}
