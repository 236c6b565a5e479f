import { z } from "zod";
import { optimizeSettingsShape } from "./optimize.js";

const contentPart = z.looseObject({ type: z.string(), text: z.string().optional() });

const message = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: z.union([z.string(), z.array(contentPart)]).nullable().optional(),
  name: z.string().optional(),
});

/** The OpenAI chat-completions fields vpo honours; `vpo` carries the rest of optimize()'s options. */
export const chatBodySchema = z.strictObject({
  model: z.string().describe("vpo, or vpo-guarded to run the guard"),
  messages: z.array(message).min(1),
  n: z.number().int().min(1).max(16).optional(),
  seed: z.number().int().optional(),
  temperature: z.number().min(0).max(5).optional(),
  top_p: z.number().gt(0).max(1).optional(),
  max_tokens: z.number().int().min(1).max(8192).optional(),
  max_completion_tokens: z.number().int().min(1).max(8192).optional(),
  stream: z.boolean().optional(),
  stream_options: z.strictObject({ include_usage: z.boolean().optional() }).optional(),
  user: z.string().optional(),
  vpo: z
    .strictObject({
      preset: optimizeSettingsShape.preset,
      iterations: optimizeSettingsShape.iterations,
      stripFlags: optimizeSettingsShape.stripFlags,
      guard: optimizeSettingsShape.guard,
      target: optimizeSettingsShape.target,
    })
    .optional()
    .describe("vpo options beyond the OpenAI fields"),
});

export type ChatBody = z.infer<typeof chatBodySchema>;
export type ChatMessageBody = ChatBody["messages"][number];
