import { z } from "zod";

/**
 * A fine-tuning API job as `vpo train export` writes it (`<provider>/<stage>.job.json`) and `vpo train sft|dpo
 * --engine openai|together --config …` runs it: upload `training_file`, then POST `request` plus the uploaded file id.
 * `from: "sft"` makes the DPO job start from the SFT job's result (read from the SFT run record, or `--from`).
 */
export const jobSpecSchema = z.object({
  provider: z.enum(["openai", "together"]),
  stage: z.enum(["sft", "dpo"]),
  training_file: z.string().min(1),
  rows: z.number().int().nonnegative().optional(),
  from: z.literal("sft").optional(),
  /** What the provider does to the rows that the file does not show (e.g. a chat template's system header). */
  notes: z.array(z.string()).optional(),
  request: z.record(z.string(), z.unknown()),
});
export type JobSpec = z.infer<typeof jobSpecSchema>;
