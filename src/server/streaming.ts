import type { OptimizeResult } from "../optimize/optimize.js";
import { PromptStream } from "../optimize/prompt-stream.js";
import type { ServerContext } from "./context.js";
import type { OptimizeSettings } from "./optimizer-service.js";
import { choicePrompts } from "./chat-completion.js";

/** What a streaming route shows: the next cleaned text of prompt `index`, or (`reset`) its whole text anew. */
export type DeltaSink = (index: number, text: string, reset: boolean) => void;

/** A success, or a refusal by the guard: a deterministic answer worth caching. */
export function storable(result: OptimizeResult): boolean {
  return result.status === "ok" || result.error?.code === "refused";
}

/** A cached result, its prompts shown whole. */
export function replayCached(hit: string, sink: DeltaSink): OptimizeResult {
  const result = JSON.parse(hit) as OptimizeResult;
  choicePrompts(result).forEach((c, index) => c.prompt && sink(index, c.prompt, false));
  return result;
}

/**
 * One optimization with its prompt text streamed as it is generated (unguarded, single-step requests; the guard
 * may rewrite a prompt, so guarded prompts arrive whole at the end). A deterministic success is cached under `key`.
 */
export async function optimizeStreaming(ctx: ServerContext, query: string, settings: OptimizeSettings, key: string | undefined, signal: AbortSignal, sink: DeltaSink): Promise<OptimizeResult> {
  const streams = new Map<number, PromptStream>();
  const streamOf = (index: number) => {
    let stream = streams.get(index);
    if (!stream) streams.set(index, (stream = new PromptStream(query)));
    return stream;
  };
  const live = !ctx.service.guarded(settings) && (settings.iterations ?? 1) === 1;
  const result = await ctx.service.optimize(query, settings, {
    signal,
    ...(live ? { onText: ({ index, text }: { index: number; text: string }) => {
      const delta = streamOf(index).update(text);
      if (delta) sink(index, delta, false);
    } } : {}),
  });
  choicePrompts(result).forEach((c, index) => {
    if (!c.prompt) return;
    const { delta, consistent } = streamOf(index).finish(c.prompt);
    if (!consistent) sink(index, c.prompt, true);
    else if (delta) sink(index, delta, false);
  });
  if (key && storable(result)) ctx.runner.remember(key, JSON.stringify(result));
  return result;
}
