import { z } from "zod";

export const judgeBodySchema = z.strictObject({
  query: z.string().min(1),
  prompt: z.string().min(1),
  format: z.enum(["json", "text"]).optional().describe("ask the judge for json (default) or labelled text"),
});

export const screenBodySchema = z.strictObject({ text: z.string() });
