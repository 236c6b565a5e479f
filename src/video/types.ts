export interface VideoRequest {
  /** The optimized prompt to render. */
  prompt: string;
  /** The original user query (available to commands as {query}). */
  query: string;
  /** Generation seed: the same for every candidate of a query, so videos differ by prompt only. */
  seed: number;
  signal?: AbortSignal;
}

export interface VideoResult {
  path: string;
  /** sha256 of the file's bytes (the reward cache key). */
  sha256: string;
  bytes: number;
  /** Cache key of the request (backend, prompt, query, seed). */
  key: string;
  /** True when it came from the cache, without running the backend. */
  cached: boolean;
  /** True when a generation started by a killed earlier run was waited for and collected. */
  adopted?: boolean;
}

export interface VideoBackendInfo {
  kind: "command" | "http";
  /** What identifies the generator in caches and provenance (the command template or the URL). */
  id: string;
}

/** Renders one video for a prompt. Implementations bound their own concurrency and cache by content hash. */
export interface VideoBackend {
  readonly info: VideoBackendInfo;
  readonly concurrency: number;
  generate(request: VideoRequest): Promise<VideoResult>;
}
