import { z } from "zod";

/** The longest prompt /v1/assess reads: far beyond any video model's text encoder, well under the body limit. */
export const MAX_ASSESS_PROMPT_CHARS = 8000;

export const parseBodySchema = z.strictObject({ query: z.string() });

export const assessBodySchema = z.strictObject({
  query: z.string(),
  prompt: z.string().min(1).max(MAX_ASSESS_PROMPT_CHARS),
  judge: z.boolean().optional().describe("ask the judge too when the server has one (default true)"),
  minCoverage: z.number().min(0).max(1).optional(),
});

export type AssessBody = z.infer<typeof assessBodySchema>;
