import { createHash } from "node:crypto";
import type { JSONSchema7 } from "@ai-sdk/provider";
import PQueue from "p-queue";
import { ModelOutputError } from "../errors.js";
import type { TextModel } from "../model/types.js";
import { checklistQuestions, checklistScore, type Checklist } from "./checklist.js";
import { extractFrames, type FrameOptions } from "./frames.js";
import { parseChecklistAnswers } from "./parse-answers.js";
import { SingleFlight } from "../util/single-flight.js";
import type { RewardCache } from "./reward-cache.js";
import type { Answer, RewardBackend, RewardRequest, RewardResult } from "./types.js";

export interface VlmRewardOptions extends Pick<FrameOptions, "fps" | "maxFrames" | "maxWidth"> {
  /** Any vision-language model on an OpenAI-compatible server. */
  model: TextModel;
  checklist: Checklist;
  cache: RewardCache;
  /** Checklist questions per request (default 64: all at once; 1 asks each alone, as VisionReward does). */
  questionsPerRequest?: number;
  /** Videos scored at once (default: the model's concurrency). */
  concurrency?: number;
}

function instruction(questions: string[], first: number, frames: number, withFirstFrame: boolean): string {
  const numbered = questions.map((q, i) => `${first + i}. ${q}`).join("\n");
  return [
    withFirstFrame
      ? `The first image is the frame the video was asked to start from (image-to-video); the ${frames} images after it are frames of the generated video, sampled at one frame per second, in order.`
      : `The ${frames} images are frames of one generated video, sampled at one frame per second, in order.`,
    `Answer each question about the video with yes or no.`,
    "",
    numbered,
    "",
    `Reply with JSON only: {"answers": [...]}, one "yes" or "no" per question, in the order asked (${questions.length} answers).`,
  ].join("\n");
}

function answersSchema(count: number): JSONSchema7 {
  return {
    type: "object",
    properties: { answers: { type: "array", items: { type: "string", enum: ["yes", "no"] }, minItems: count, maxItems: count } },
    required: ["answers"],
    additionalProperties: false,
  };
}

/**
 * The VisionReward checklist answered by a general vision-language model: frames sampled with ffmpeg (1 fps, at most
 * 24), questions 1–4 about the ORIGINAL query, structured yes/no answers (free text parsed tolerantly), score = the
 * weighted sum of yes. An unreadable reply fails the item; it never counts as "no".
 */
export class VlmRewardBackend implements RewardBackend {
  readonly info;
  readonly concurrency: number;
  private readonly queue: PQueue;
  private readonly perRequest: number;
  private readonly flights = new SingleFlight<RewardResult>();

  constructor(private readonly options: VlmRewardOptions) {
    const { model, checklist, fps = 1, maxFrames = 24, maxWidth = 512 } = options;
    this.perRequest = Math.max(1, Math.min(options.questionsPerRequest ?? checklist.questions.length, checklist.questions.length));
    this.info = {
      kind: "vlm" as const,
      id: `vlm:${model.info.baseUrl ?? model.info.backend}|${model.info.id}|checklist:${checklist.version}|q${this.perRequest}|fps${fps}x${maxFrames}w${maxWidth}`,
    };
    this.concurrency = options.concurrency ?? model.concurrency;
    this.queue = new PQueue({ concurrency: this.concurrency });
  }

  async score(request: RewardRequest): Promise<RewardResult> {
    const key = this.options.cache.key(this.info.id, request, request.image ? createHash("sha256").update(request.image.data).digest("hex") : undefined);
    return this.flights.run(key, async () => this.options.cache.lookup(key) ?? ((await this.queue.add(() => this.ask(key, request), { signal: request.signal })) as RewardResult));
  }

  private async ask(key: string, request: RewardRequest): Promise<RewardResult> {
    const { model, checklist, fps, maxFrames, maxWidth } = this.options;
    const frames = await extractFrames(request.videoPath, { fps, maxFrames, maxWidth, signal: request.signal });
    const videoFrames = frames.map((data) => ({ data, mediaType: "image/jpeg" }));
    // The conditioning frame goes first, so questions about the query's subjects can be checked against it.
    const images = request.image ? [request.image, ...videoFrames] : videoFrames;
    const questions = checklistQuestions(checklist, request.query);
    const chunks: { first: number; questions: string[] }[] = [];
    for (let i = 0; i < questions.length; i += this.perRequest) chunks.push({ first: i + 1, questions: questions.slice(i, i + this.perRequest) });
    const parts = await Promise.all(
      chunks.map(async (chunk) => {
        const reply = await model.generate({
          messages: [{ role: "user", content: instruction(chunk.questions, chunk.first, frames.length, request.image !== undefined), images }],
          jsonSchema: answersSchema(chunk.questions.length),
          sampling: { temperature: 0, maxTokens: 64 + 8 * chunk.questions.length },
          signal: request.signal,
        });
        const answers = parseChecklistAnswers(reply.text, chunk.questions.length);
        if (!answers) {
          const last = chunk.first + chunk.questions.length - 1;
          throw new ModelOutputError("unparseable", `the vision model's answers to checklist questions ${chunk.first}-${last} are not ${chunk.questions.length} yes/no answers`, reply.text.slice(0, 2000));
        }
        return answers;
      }),
    );
    const answers: Answer[] = parts.flat();
    return this.options.cache.store(key, { answers, score: checklistScore(checklist, answers) });
  }
}
