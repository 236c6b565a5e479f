import { StepError, step, type ItemResult, type ItemWork } from "../item-runner.js";
import type { Item } from "../../store/types.js";
import type { TextModel } from "../../model/types.js";
import { cleanPrompt } from "../../optimize/clean.js";
import type { PromptTemplate } from "../../optimize/template.js";
import { STAGES } from "../records.js";

export interface SampleSettings {
  /** Candidates per query (default 4). */
  k: number;
  temperature: number;
  topP: number;
  maxTokens: number;
  /** Base seed: query i samples with seed + i·K (one request with `n`), or seed + i·K + k (one request each). */
  seed: number;
  /** Ask for all K in one request with `n`: "auto" (the default) falls back to one request per candidate when the server answers fewer. */
  useN: UseN;
}

export const USE_N_MODES = ["auto", "always", "never"] as const;
export type UseN = (typeof USE_N_MODES)[number];

export interface QueryInput {
  query: string;
  line?: number;
  id?: string | number;
}

export interface Candidate {
  k: number;
  prompt: string | null;
  /** The request's seed (with `n`, one seed gave all K). */
  seed: number;
  error?: { code: string; message: string; reason?: string };
}

export interface SampleOutput {
  candidates: Candidate[];
  /** How the K samples were requested: "n" (one request) or "separate". */
  requested: "n" | "separate";
}

/** Raw texts per candidate slot, kept across crashes so finished requests are not repeated. */
export type SampleCheckpoint = { texts: Record<number, string>; seeds: Record<number, number>; requested?: "n" | "separate" };

export interface TextItemInput {
  query: string;
  k: number;
  prompt: string;
}

export type SampleItem = Item<QueryInput, SampleOutput, SampleCheckpoint>;

export interface SampleContext {
  policy: TextModel;
  template: PromptTemplate;
  settings: SampleSettings;
  provenanceId: number;
  /** Shared across items: set once a server shows it ignores `n`. */
  nState: { supported?: boolean };
}

/** Stage `sample`: K candidate prompts for one DPO query from the policy (the SFT model), with the VPO template. */
export async function sampleQuery(ctx: SampleContext, item: SampleItem, work: ItemWork<SampleOutput, SampleCheckpoint>): Promise<ItemResult<SampleOutput>> {
  const { policy, template, settings } = ctx;
  const { k: K, temperature, topP, maxTokens } = settings;
  const base = settings.seed + item.queryIndex * K;
  const messages = template.render(item.input.query);
  const saved: SampleCheckpoint = work.checkpoint ?? { texts: {}, seeds: {} };
  const save = () => work.save({ ...saved, texts: { ...saved.texts }, seeds: { ...saved.seeds } });
  const sampling = { temperature, topP, maxTokens };
  const missing = () => Array.from({ length: K }, (_, k) => k).filter((k) => saved.texts[k] === undefined);
  const tryN = settings.useN === "always" || (settings.useN === "auto" && ctx.nState.supported !== false && policy.info.backend === "openai-compatible");
  if (tryN && missing().length === K) {
    const reply = await step("sample", () => policy.generate({ messages, sampling: { ...sampling, seed: base }, n: K, signal: work.signal }), work.signal);
    reply.texts.slice(0, K).forEach((text, k) => {
      saved.texts[k] = text;
      saved.seeds[k] = base;
    });
    saved.requested = "n";
    if (reply.texts.length < K) ctx.nState.supported = false;
    save();
  }
  // One request per candidate still missing (no `n`, or a server that answered fewer choices).
  await Promise.all(
    missing().map(async (k) => {
      const reply = await step("sample", () => policy.generate({ messages, sampling: { ...sampling, seed: base + k }, signal: work.signal }), work.signal);
      saved.texts[k] = reply.text;
      saved.seeds[k] = base + k;
      saved.requested ??= "separate";
      save();
    }),
  );
  const candidates: Candidate[] = Array.from({ length: K }, (_, k) => {
    const seed = saved.seeds[k] ?? base + k;
    const cleaned = cleanPrompt(saved.texts[k] ?? "", { query: item.input.query });
    return cleaned.ok ? { k, prompt: cleaned.prompt, seed } : { k, prompt: null, seed, error: { code: "model-output", reason: cleaned.reason, message: cleaned.message } };
  });
  const usable = candidates.filter((c) => c.prompt !== null);
  if (usable.length === 0) throw new StepError("sample", { code: "model-output", message: `no usable candidate among ${K}: ${candidates[0]!.error!.message}`, step: "sample" });
  return {
    output: { candidates, requested: saved.requested ?? "separate" },
    provenanceId: ctx.provenanceId,
    children: usable.map((c) => ({
      stage: STAGES.textFeedback,
      key: `${item.queryIndex}/${c.k}`,
      queryIndex: item.queryIndex,
      input: { query: item.input.query, k: c.k, prompt: c.prompt! } satisfies TextItemInput,
    })),
  };
}
