import type { Item } from "../../store/types.js";
import { critiqueOf, judgeStep, refineStep, type Critic, type Judgement } from "../critique.js";
import { step, type ItemResult, type ItemWork } from "../item-runner.js";
import { STAGES } from "../records.js";
import type { TextItemInput } from "./sample.js";

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
 * Stage `text-feedback`: the judge checks one candidate. Flagged → refined, a text pair (refined ≻ candidate).
 * Passed → a video-feedback item. The verdict is checkpointed, so a failed refinement retries only the refinement.
 */
export async function textFeedback(
  ctx: { critic: Critic; provenanceId: number; video: boolean },
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
    return {
      output: { k, prompt, judgement, critique },
      provenanceId: ctx.provenanceId,
      children: ctx.video ? [{ stage: STAGES.videoFeedback, key: item.key, queryIndex: item.queryIndex, input: { query, k, prompt } satisfies VideoItemInput }] : [],
    };
  }
  const refined = await step("refine", () => refineStep(ctx.critic, query, prompt, judgement.verdict, work.signal), work.signal);
  return { output: { k, prompt, judgement, critique, refined }, provenanceId: ctx.provenanceId };
}
