import type { JSONSchema7, LanguageModelV3 } from "@ai-sdk/provider";

export type Role = "system" | "user" | "assistant";

export interface ChatMessage {
  role: Role;
  content: string;
  /** Images shown with a user message (vision models on OpenAI-compatible servers; video frames for rewards). */
  images?: ImageInput[];
}

export interface ImageInput {
  data: Uint8Array;
  /** e.g. "image/jpeg" */
  mediaType: string;
}

/** Sampling settings of one generation. Unset fields fall back to the backend's defaults. */
export interface Sampling {
  temperature?: number;
  topP?: number;
  topK?: number;
  seed?: number;
  maxTokens?: number;
}

export interface GenerateRequest {
  messages: ChatMessage[];
  sampling?: Sampling;
  /** Ask for JSON matching this schema: response_format on servers, a grammar on llama.cpp. */
  jsonSchema?: JSONSchema7;
  /**
   * A GBNF grammar the reply must follow (a safety classifier's fixed reply format). Only the llama.cpp backend
   * applies it; servers ignore it, since vLLM, SGLang and llama.cpp's server each take grammars differently.
   */
  grammar?: string;
  /**
   * Ask for this many completions in one request (OpenAI `n`). Servers that ignore it return one; the llama.cpp
   * backend always returns one. Read them from `GenerateResult.texts`.
   */
  n?: number;
  signal?: AbortSignal;
  /**
   * Stream the reply: called with the whole text so far after every delta (ignored when `n` > 1). A retried attempt
   * starts again from "", so a caller showing the text replaces it rather than appending.
   */
  onText?: (textSoFar: string) => void;
}

export type FinishReason = "stop" | "length" | "content-filter" | "error" | "other";

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** HTTP requests or llama.cpp generations made, retries included. */
  requests: number;
}

export interface GenerateResult {
  /** The first completion. */
  text: string;
  /** Every completion the backend returned (one unless the request asked for `n` and the server honours it). */
  texts: string[];
  finishReason: FinishReason;
  usage: Usage;
}

export type BackendKind = "openai-compatible" | "llama";

/** What a record says about the model that produced it (provenance). */
export interface ModelInfo {
  backend: BackendKind;
  /** Server-side model name, or the GGUF file name. */
  id: string;
  baseUrl?: string;
  path?: string;
}

/**
 * The one text-generation seam every stage uses (optimizer, judge, refiner, teacher, policy).
 * It wraps an AI SDK LanguageModelV3 with the concurrency limit, retries and timeouts of its backend.
 */
export interface TextModel extends AsyncDisposable {
  readonly info: ModelInfo;
  readonly languageModel: LanguageModelV3;
  /** How many requests it runs at once; callers may size their own pools from it. */
  readonly concurrency: number;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /** Per-endpoint counts, on a model spread over an endpoint pool (`--base-url URL1,URL2`); absent otherwise. */
  endpointStats?(): EndpointStats[];
  dispose(): Promise<void>;
}

/** What a report shows of one endpoint of a pool. */
export interface EndpointStats {
  baseUrl: string;
  /** Requests sent to it, retries on it included. */
  requests: number;
  /** Requests that failed because of it (refused, dropped, timed out, 5xx, 429). */
  failures: number;
  /** Times it was taken out of the rotation (the start-up health check included). */
  ejections: number;
  inFlight: number;
  /** In the rotation now. */
  admitted: boolean;
}


export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, requests: 0 };
}

export function addUsage(into: Usage, more: Usage): Usage {
  into.inputTokens += more.inputTokens;
  into.outputTokens += more.outputTokens;
  into.requests += more.requests;
  return into;
}
