import type { Item } from "../../store/types.js";
import type { TextModel } from "../../model/types.js";
import { cleanPrompt } from "../../optimize/clean.js";
import { critiqueOf, judgeStep, refineStep, type Critic, type Judgement } from "../critique.js";
import { StepError, step, type ItemResult, type ItemWork } from "../item-runner.js";
import type { TeacherTemplate } from "../teacher.js";
import type { QueryInput } from "./sample.js";

export interface SftOutput {
  /** s: the teacher's prompt, or its refinement when the judge flagged it. */
  prompt: string;
  teacherPrompt: string;
  judgement: Judgement;
  critique: string;
  refined: boolean;
  seed: number;
}

export type SftCheckpoint = { teacherPrompt?: string; judgement?: Judgement };
export type SftItem = Item<QueryInput, SftOutput, SftCheckpoint>;

export interface SftContext {
  teacher: TextModel;
  template: TeacherTemplate;
  critic: Critic;
  sampling: { temperature: number; topP: number; maxTokens: number; seed: number };
  provenanceId: number;
}

/** Stage `sft`: teacher prompt p with our few-shot demonstrations → judge critique → refinement when flagged. */
export async function sftQuery(ctx: SftContext, item: SftItem, work: ItemWork<SftOutput, SftCheckpoint>): Promise<ItemResult<SftOutput>> {
  const { query } = item.input;
  const seed = ctx.sampling.seed + item.queryIndex;
  const saved: SftCheckpoint = { ...work.checkpoint };
  if (saved.teacherPrompt === undefined) {
    const reply = await step("teacher", () => ctx.teacher.generate({ messages: ctx.template.render(query), sampling: { ...ctx.sampling, seed }, signal: work.signal }), work.signal);
    const cleaned = cleanPrompt(reply.text, { query });
    if (!cleaned.ok) throw new StepError("teacher", { code: "model-output", message: cleaned.message, step: "teacher" });
    saved.teacherPrompt = cleaned.prompt;
    work.save(saved);
  }
  const teacherPrompt = saved.teacherPrompt;
  if (!saved.judgement) {
    saved.judgement = await step("judge", () => judgeStep(ctx.critic, query, teacherPrompt, work.signal), work.signal);
    work.save(saved);
  }
  const judgement = saved.judgement;
  const critique = critiqueOf(judgement.verdict);
  const prompt = judgement.flagged ? await step("refine", () => refineStep(ctx.critic, query, teacherPrompt, judgement.verdict, work.signal), work.signal) : teacherPrompt;
  return { output: { prompt, teacherPrompt, judgement, critique, refined: judgement.flagged, seed }, provenanceId: ctx.provenanceId };
}
