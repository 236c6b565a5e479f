import { listServerModels } from "../openai-compatible.js";

export type HealthOutcome = { ok: true; models: string[] } | { ok: false; reason: string };

/**
 * GET {baseUrl}/models, the cheapest call every OpenAI-compatible server answers: healthy when it answers 2xx. The
 * listing is not matched against the model name, since proxies list aliases; a wrong name fails the requests.
 */
export async function checkEndpoint(baseUrl: string, options: { apiKey?: string; timeoutMs: number }): Promise<HealthOutcome> {
  try {
    return { ok: true, models: await listServerModels(baseUrl, options.apiKey, options.timeoutMs) };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
