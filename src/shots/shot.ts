import type { JSONSchema7 } from "@ai-sdk/provider";
import { z } from "zod";

/** Longest shot a plan may hold: text-to-video clips run seconds, not minutes. */
export const MAX_SHOT_SECONDS = 60;

/** One shot of a multi-shot prompt, as the model plans it. */
export const shotSchema = z.object({
  /** What the shot shows: subjects, setting, light, style. */
  description: z.string().trim().min(1).max(1200),
  /** What happens during the shot. */
  action: z.string().trim().min(1).max(400),
  /** The camera's framing and movement ("slow dolly in", "static wide shot"). */
  camera: z.string().trim().min(1).max(200),
  /** Seconds. */
  duration: z.number().positive().max(MAX_SHOT_SECONDS),
});

export type Shot = z.infer<typeof shotSchema>;

/** The reply a plan of exactly `count` shots must be. */
export const shotPlanSchema = (count: number) => z.object({ shots: z.array(shotSchema).length(count) });

/** What the model is asked for (the response_format / grammar side: looser than the validator, which has the last word). */
export const shotPlanJsonSchema = (count: number): JSONSchema7 =>
  z.toJSONSchema(
    z.object({ shots: z.array(z.object({ description: z.string(), action: z.string(), camera: z.string(), duration: z.number() }).strict()).min(count).max(count) }).strict(),
  ) as JSONSchema7;
