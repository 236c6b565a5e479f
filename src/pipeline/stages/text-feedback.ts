import type { Item } from "../../store/types.js";
import { critiqueOf, judgeStep, refineStep, type Critic, type Judgement } from "../critique.js";
import { step, type ItemResult, type ItemWork } from "../item-runner.js";
import { STAGES } from "../records.js";
import type { TextItemInput } from "./sample.js";
import { fitToBudget } from "../../target/fit-budget.js";
import type { TargetSettings } from "../../target/target-settings.js";

export interface TextFeedbackOutput {
  k: number;
  prompt: string;
  judgement: Judgement;
  critique: string;
  /** The refinement of a flagged candidate: the chosen side of its text pair. */
  refined?: string;
}

export type TextCheckpoint = { judgement?: Judgement };
export type TextItem = Item<TextItemInput, TextFeedbackOutput, TextCheckpoint>;

export interface VideoItemInput {
  query: string;
  k: number;
  prompt: string;
}

/**
 * The candidate brought within the target's budget by the refiner (condensing, then whole sentences); undefined when
 * it already fits or cannot be made to.
 */
async function withinBudget(ctx: { critic: Critic; target?: TargetSettings }, query: string, prompt: string, signal: AbortSignal | undefined): Promise<string | undefined> {
  const target = ctx.target;
  if (!target || target.counter.count(prompt) <= target.budget) return undefined;
  const fit = await fitToBudget(prompt, { model: ctx.critic.refiner ?? ctx.critic.judge, query, counter: target.counter, budget: target.budget, profile: target.profile, ...(signal ? { signal } : {}) });
  return fit.prompt ?? undefined;
}

/**
 * Stage `text-feedback`: the judge checks one candidate. Flagged → refined, a text pair (refined ≻ candidate).
 * With a target, a candidate over its token budget is flagged too: condensed ≻ candidate (a refinement is condensed
 * when it is over). Passed → a video-feedback item. The verdict is checkpointed, so a failed refinement retries only
 * the refinement.
 */
export async function textFeedback(
  ctx: { critic: Critic; provenanceId: number; video: boolean; target?: TargetSettings },
  item: TextItem,
  work: ItemWork<TextFeedbackOutput, TextCheckpoint>,
): Promise<ItemResult<TextFeedbackOutput>> {
  const { query, prompt, k } = item.input;
  let judgement = work.checkpoint?.judgement;
  if (!judgement) {
    judgement = await step("judge", () => judgeStep(ctx.critic, query, prompt, work.signal), work.signal);
    work.save({ judgement });
  }
  const critique = critiqueOf(judgement.verdict);
  if (!judgement.flagged) {
    const condensed = await step("condense", () => withinBudget(ctx, query, prompt, work.signal), work.signal);
    if (condensed !== undefined) {
      const over = `over the ${ctx.target!.budget}-token budget of ${ctx.target!.profile.name} (${ctx.target!.counter.count(prompt)} tokens, ${ctx.target!.counter.counted})`;
      return { output: { k, prompt, judgement, critique: critique ? `${critique} ${over}` : over, refined: condensed }, provenanceId: ctx.provenanceId };
    }
    return {
      output: { k, prompt, judgement, critique },
      provenanceId: ctx.provenanceId,
      children: ctx.video ? [{ stage: STAGES.videoFeedback, key: item.key, queryIndex: item.queryIndex, input: { query, k, prompt } satisfies VideoItemInput }] : [],
    };
  }
  const refined = await step("refine", () => refineStep(ctx.critic, query, prompt, judgement.verdict, work.signal), work.signal);
  const fitted = await step("condense", () => withinBudget(ctx, query, refined, work.signal), work.signal);
  return { output: { k, prompt, judgement, critique, refined: fitted ?? refined }, provenanceId: ctx.provenanceId };
}
