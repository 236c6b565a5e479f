/**
 * GET with redirects followed by hand: the Hub answers a weights file with a redirect to a CDN, and the token must
 * not travel to another origin. The first response's headers are kept (they carry X-Linked-Etag / X-Linked-Size).
 */
import { BackendError } from "../errors.js";

const MAX_REDIRECTS = 5;

export interface FollowedResponse {
  response: Response;
  /** Headers of the first (Hub) response, before any redirect. */
  hubHeaders: Headers;
  url: string;
}

export async function fetchFollowingRedirects(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<FollowedResponse> {
  const origin = new URL(url).origin;
  let current = url;
  let hubHeaders: Headers | undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const sameOrigin = new URL(current).origin === origin;
    const sent = sameOrigin ? headers : Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== "authorization"));
    const response = await fetch(current, { headers: { ...sent, "accept-encoding": "identity" }, redirect: "manual", signal });
    hubHeaders ??= response.headers;
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      current = new URL(location, current).href;
      continue;
    }
    return { response, hubHeaders, url: current };
  }
  throw new BackendError(`more than ${MAX_REDIRECTS} redirects`, url);
}
