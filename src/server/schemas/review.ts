import { z } from "zod";

const reviewer = z.string().min(1).max(200).describe("the reviewer's name (plain text)");
const choice = z.enum(["A", "B", "tie"]);

export const reviewParams = z.object({ name: z.string().min(1).max(64) }).strict();
export const itemParams = z.object({ name: z.string().min(1).max(64), position: z.coerce.number().int().min(0).max(1_000_000) }).strict();
export const videoParams = itemParams.extend({ label: z.enum(["A", "B"]) }).strict();

export const joinBody = z.object({ reviewer }).strict();
export const videoQuery = z.object({ reviewer }).strict();
export const voteBody = z
  .object({
    reviewer,
    answers: z.object({ instruction: choice, quality: choice, overall: choice }).strict().describe("per question: the side shown first (A), second (B), or tie"),
  })
  .strict();
