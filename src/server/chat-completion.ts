import { InputError, ServiceError } from "../errors.js";
import type { GuardedResult } from "../guard/guarded-optimize.js";
import type { OptimizeResult } from "../optimize/optimize.js";
import type { OptimizeSettings } from "./optimizer-service.js";
import type { ChatBody, ChatMessageBody } from "./schemas/chat.js";

export const CHAT_MODELS = ["vpo", "vpo-guarded"] as const;

export type ChatFinishReason = "stop" | "length" | "content_filter";

/** The text of the last user message: the query. */
export function chatQuery(messages: ChatMessageBody[]): string {
  const last = messages.findLast((m) => m.role === "user");
  if (!last) throw new InputError("messages hold no user message: the last user message is the query");
  if (typeof last.content === "string") return last.content;
  return (last.content ?? []).map((part) => (part.type === "text" ? part.text ?? "" : "")).join("");
}

/** The optimizer settings a chat request names: n → candidates, seed, temperature, top_p, max_tokens, and `vpo`. */
export function chatSettings(body: ChatBody): OptimizeSettings {
  if (!(CHAT_MODELS as readonly string[]).includes(body.model)) throw new ServiceError("not-found", `model "${body.model}" does not exist here; use ${CHAT_MODELS.join(" or ")}`);
  const guarded = body.model === "vpo-guarded";
  // vpo-guarded always runs the guard (with `vpo.guard` settings when given); vpo only when `vpo.guard` asks.
  const extraGuard = body.vpo?.guard;
  const guard = typeof extraGuard === "object" ? extraGuard : guarded || extraGuard ? {} : false;
  const sampling = { temperature: body.temperature, topP: body.top_p, seed: body.seed, maxTokens: body.max_tokens ?? body.max_completion_tokens };
  return {
    preset: body.vpo?.preset,
    sampling: Object.fromEntries(Object.entries(sampling).filter(([, v]) => v !== undefined)),
    ...(body.n !== undefined ? { candidates: body.n } : {}),
    ...(body.vpo?.iterations !== undefined ? { iterations: body.vpo.iterations } : {}),
    ...(body.vpo?.stripFlags !== undefined ? { stripFlags: body.vpo.stripFlags } : {}),
    ...(body.vpo?.target !== undefined ? { target: body.vpo.target } : {}),
    guard,
  };
}

/** The prompt of each choice: candidates when there are several, else the one prompt (null when none). */
export function choicePrompts(result: OptimizeResult): { prompt: string | null; finish: ChatFinishReason }[] {
  if (isRefused(result)) return [{ prompt: null, finish: "content_filter" }];
  if (result.candidates) return result.candidates.map((c) => ({ prompt: c.prompt, finish: c.finishReason === "length" ? "length" : "stop" }));
  const last = result.steps?.findLast((s) => s.status === "ok");
  return [{ prompt: result.prompt, finish: last?.finishReason === "length" ? "length" : "stop" }];
}

export function isRefused(result: OptimizeResult): boolean {
  return result.error?.code === "refused" || (result as Partial<GuardedResult>).report?.status === "refused";
}

const usageOf = (result: OptimizeResult) => ({
  prompt_tokens: result.usage.inputTokens,
  completion_tokens: result.usage.outputTokens,
  total_tokens: result.usage.inputTokens + result.usage.outputTokens,
});

/** A chat.completion object; the whole vpo result rides along in `vpo`. */
export function chatCompletion(result: OptimizeResult, model: string, id: string, created: number) {
  return {
    id: `chatcmpl-${id}`,
    object: "chat.completion" as const,
    created,
    model,
    system_fingerprint: `vpo-${result.template.version}`,
    choices: choicePrompts(result).map((c, index) => ({ index, message: { role: "assistant" as const, content: c.prompt, refusal: null }, logprobs: null, finish_reason: c.finish })),
    usage: usageOf(result),
    vpo: result,
  };
}

/** One chat.completion.chunk of a stream. */
export function chatChunk(id: string, model: string, created: number, choices: { index: number; delta: Record<string, unknown>; finish_reason: ChatFinishReason | null }[], extra: Record<string, unknown> = {}) {
  return { id: `chatcmpl-${id}`, object: "chat.completion.chunk", created, model, choices, ...extra };
}

/** The last chunks: each choice's finish reason, then usage and the vpo result. */
export function finalChunk(result: OptimizeResult, id: string, model: string, created: number) {
  return chatChunk(id, model, created, choicePrompts(result).map((c, index) => ({ index, delta: {}, finish_reason: c.finish })), { usage: usageOf(result), vpo: result });
}
