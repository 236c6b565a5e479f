import { runBatch, type BatchOptions, type BatchSummary } from "../batch/run-batch.js";
import { InputError } from "../errors.js";
import { SERVER_CONCURRENCY } from "../model/concurrency.js";
import { judgePrompt, type JudgeOptions, type JudgeResult } from "./judge-prompt.js";

/** One line of `vpo judge --input pairs.jsonl --output out.jsonl`. */
export type JudgeRecord = JudgeResult & { index: number; line?: number; id?: string | number };

export interface JudgeBatchOptions extends Omit<BatchOptions<JudgeRecord>, "process"> {
  judge: Omit<JudgeOptions, "signal">;
}

/** Judgements in flight at once by default: judges are usually served models, so as many as a server takes. */
export const DEFAULT_JUDGE_CONCURRENCY = SERVER_CONCURRENCY;

/** judgePrompt over a .jsonl/.json file of {query, prompt} objects into a resumable JSONL file (see runBatch). */
export function judgeBatch(options: JudgeBatchOptions): Promise<BatchSummary> {
  return runBatch<JudgeRecord>({
    ...options,
    concurrency: options.concurrency ?? DEFAULT_JUDGE_CONCURRENCY,
    process: async (item, signal) => {
      const prompt = item.record?.prompt;
      if (typeof prompt !== "string") throw new InputError(`item ${item.index} has no string "prompt" field`, options.input, item.line);
      const result = await judgePrompt(item.query, prompt, { ...options.judge, signal });
      return { index: item.index, ...(item.line ? { line: item.line } : {}), ...(item.id !== undefined ? { id: item.id } : {}), ...result };
    },
  });
}
