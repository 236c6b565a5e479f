import { ApiError, getJson, request } from "../shared/api";
import { SseEvents } from "./sse-events";
import type { Assessment, OptimizeResult, QueryReading, RunSettings, SelectMethod, ServerInfo } from "./types";

export const fetchInfo = (signal?: AbortSignal) => getJson<ServerInfo>("/v1/info", signal ? { signal } : {});

export const parseQuery = (query: string, signal?: AbortSignal) => getJson<QueryReading>("/v1/parse", { body: { query }, ...(signal ? { signal } : {}) });

export const assessPrompt = (query: string, prompt: string, judge: boolean, signal?: AbortSignal) =>
  getJson<Assessment>("/v1/assess", { body: { query, prompt, judge }, ...(signal ? { signal } : {}) });

export interface StreamHandlers {
  /** The next piece of the prompt's text, or (`reset`) its whole text anew. */
  onText(text: string, reset: boolean): void;
}

/**
 * One candidate: POST /v1/optimize with `stream: true` and candidate `index`'s seed (the seeds `vpo optimize -n`
 * would use: seed + index). The guard checks one prompt per request, so each candidate is its own request; an
 * unguarded prompt streams token by token, a guarded one arrives whole when the guard is done.
 */
export async function streamCandidate(query: string, settings: RunSettings, index: number, handlers: StreamHandlers, signal: AbortSignal): Promise<OptimizeResult> {
  const body = {
    query,
    stream: true,
    preset: settings.preset,
    sampling: { seed: settings.seed + index },
    guard: settings.guard === "off" ? false : { policy: settings.guard },
  };
  const response = await request("/v1/optimize", { body, signal });
  if (!response.body) throw new ApiError(response.status, "bad-response", "the server sent no stream");
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const events = new SseEvents();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    for (const event of events.push(value)) {
      const data = JSON.parse(event.data) as unknown;
      if (event.event === "delta" || event.event === "reset") handlers.onText((data as { text: string }).text, event.event === "reset");
      else if (event.event === "result") return data as OptimizeResult;
      else if (event.event === "error") {
        const error = (data as { error?: { code?: string; message?: string } }).error;
        throw new ApiError(502, error?.code ?? "backend", error?.message ?? "the optimizer failed");
      }
    }
  }
  throw new ApiError(response.status, "bad-response", "the stream ended before the result");
}

/**
 * Every candidate in one request, the server picking the best (`select`): it scores all of them together, so the
 * candidates cannot stream one by one, and it picks among unguarded ones (the winner is still screened by the checks).
 */
export const selectCandidates = (query: string, settings: RunSettings & { select: SelectMethod }, signal: AbortSignal) =>
  getJson<OptimizeResult>("/v1/optimize", { body: { query, n: settings.candidates, preset: settings.preset, select: settings.select, sampling: { seed: settings.seed }, guard: false }, signal });
