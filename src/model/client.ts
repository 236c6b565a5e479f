import { APICallError, type LanguageModelV3, type LanguageModelV3CallOptions, type LanguageModelV3Prompt } from "@ai-sdk/provider";
import { isAbortError, retryWithExponentialBackoff } from "@ai-sdk/provider-utils";
import PQueue from "p-queue";
import { AbortedError, BackendError, UsageError, VpoError } from "../errors.js";
import { retryDelayMs } from "./retry.js";
import type { ChatMessage, FinishReason, GenerateRequest, GenerateResult, ModelInfo, TextModel } from "./types.js";

export interface ModelClientOptions {
  /** Requests at once (default 4). */
  concurrency?: number;
  /** Retries after the first attempt for retryable failures: 5xx, 429, timeouts, refused connections (default 2). */
  retries?: number;
  /** First backoff delay; it doubles each retry (default 1000 ms). A Retry-After header overrides it. */
  retryDelayMs?: number;
  /** Per-attempt timeout (default 120 s). */
  timeoutMs?: number;
  /** Called when the client is disposed (closes a llama.cpp context, for example). */
  onDispose?: () => Promise<void>;
}

function toPrompt(messages: ChatMessage[]): LanguageModelV3Prompt {
  return messages.map((m) => {
    if (m.role === "system") return { role: "system", content: m.content };
    if (m.role === "user" && m.images?.length) {
      const images = m.images.map((image) => ({ type: "file" as const, data: image.data, mediaType: image.mediaType }));
      return { role: "user", content: [...images, { type: "text", text: m.content }] };
    }
    return { role: m.role, content: [{ type: "text", text: m.content }] };
  });
}

/** The texts of every choice in a raw chat-completions body (several when the request asked for `n`). */
function choiceTexts(body: unknown): string[] | undefined {
  const choices = (body as { choices?: { index?: number; message?: { content?: unknown } }[] } | undefined)?.choices;
  if (!Array.isArray(choices) || choices.length < 2) return undefined;
  return [...choices].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((c) => (typeof c.message?.content === "string" ? c.message.content : ""));
}

/** A TextModel over any LanguageModelV3, adding the concurrency limit, per-attempt timeout and retries. */
export class ModelClient implements TextModel {
  readonly concurrency: number;
  private readonly queue: PQueue;
  private disposed = false;

  constructor(
    readonly languageModel: LanguageModelV3,
    readonly info: ModelInfo,
    private readonly options: ModelClientOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 4;
    this.queue = new PQueue({ concurrency: this.concurrency });
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    if (this.disposed) throw new VpoError("aborted", "model client is disposed");
    if (this.info.backend === "llama" && request.messages.some((m) => m.images?.length)) {
      throw new UsageError(`${this.info.id} runs in llama.cpp, which takes no images here; use a vision model on an OpenAI-compatible server`);
    }
    const result = await this.queue.add(() => this.generateWithRetries(request), { signal: request.signal }).catch((error: unknown) => {
      if (request.signal?.aborted) throw new AbortedError();
      throw error;
    });
    return result as GenerateResult;
  }

  private async generateWithRetries(request: GenerateRequest): Promise<GenerateResult> {
    const { retries = 2, retryDelayMs: initialDelay = 1000 } = this.options;
    let requests = 0;
    const attempt = async (): Promise<GenerateResult> => {
      requests++;
      return this.generateOnce(request, requests);
    };
    try {
      const result = await retryWithExponentialBackoff({
        maxRetries: retries,
        initialDelayInMs: initialDelay,
        backoffFactor: 2,
        abortSignal: request.signal,
        shouldRetry: async (error) => isRetryable(error),
        getDelayInMs: ({ error, exponentialBackoffDelay }) => retryDelayMs(error, exponentialBackoffDelay),
        createRetryError: ({ errors }) => this.backendError(errors.at(-1), requests),
      })(attempt);
      result.usage.requests = requests;
      return result;
    } catch (error) {
      if (request.signal?.aborted || isAbortError(error)) throw new AbortedError();
      throw VpoError.isInstance(error) ? error : this.backendError(error, requests);
    }
  }

  private async generateOnce(request: GenerateRequest, attemptNumber: number): Promise<GenerateResult> {
    const timeoutMs = this.options.timeoutMs ?? 120_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const s = request.sampling ?? {};
    const call: LanguageModelV3CallOptions = {
      prompt: toPrompt(request.messages),
      maxOutputTokens: s.maxTokens,
      temperature: s.temperature,
      topP: s.topP,
      topK: s.topK,
      seed: s.seed,
      responseFormat: request.jsonSchema ? { type: "json", schema: request.jsonSchema, name: "response" } : undefined,
      abortSignal: signal,
      ...(request.n && request.n > 1 && this.info.backend === "openai-compatible" ? { providerOptions: { vpo: { n: request.n } } } : {}),
      ...(request.grammar && this.info.backend === "llama" ? { providerOptions: { llama: { grammar: request.grammar } } } : {}),
    };
    try {
      if (request.onText && (request.n ?? 1) <= 1) return await this.streamOnce(call, request.onText);
      const response = await this.languageModel.doGenerate(call);
      const text = response.content.map((part) => (part.type === "text" ? part.text : "")).join("");
      return {
        text,
        texts: (request.n ?? 1) > 1 ? choiceTexts(response.response?.body) ?? [text] : [text],
        finishReason: response.finishReason.unified as FinishReason,
        usage: {
          inputTokens: response.usage.inputTokens.total ?? 0,
          outputTokens: response.usage.outputTokens.total ?? 0,
          requests: 1,
        },
      };
    } catch (error) {
      if (timeout.aborted && !request.signal?.aborted) {
        throw new BackendError(
          `${this.where()} timed out after ${timeoutMs} ms (attempt ${attemptNumber})`,
          this.info.baseUrl,
          undefined,
          { cause: error, timedOut: true },
        );
      }
      throw error;
    }
  }

  /** One attempt over doStream, reporting the text so far after each delta (a retry starts again from ""). */
  private async streamOnce(call: LanguageModelV3CallOptions, onText: (textSoFar: string) => void): Promise<GenerateResult> {
    const { stream } = await this.languageModel.doStream(call);
    let text = "";
    let finishReason: FinishReason = "other";
    const usage = { inputTokens: 0, outputTokens: 0, requests: 1 };
    onText("");
    for await (const part of stream) {
      if (part.type === "text-delta") {
        text += part.delta;
        onText(text);
      } else if (part.type === "finish") {
        finishReason = part.finishReason.unified as FinishReason;
        usage.inputTokens = part.usage.inputTokens.total ?? 0;
        usage.outputTokens = part.usage.outputTokens.total ?? 0;
      } else if (part.type === "error") {
        throw part.error;
      }
    }
    return { text, texts: [text], finishReason, usage };
  }

  private where(): string {
    return this.info.baseUrl ? `backend ${this.info.baseUrl}` : `model ${this.info.id}`;
  }

  private backendError(error: unknown, attempts: number): VpoError {
    if (VpoError.isInstance(error) && !(error instanceof BackendError)) return error;
    const tries = attempts > 1 ? ` (after ${attempts} attempts)` : "";
    if (error instanceof BackendError) return new BackendError(`${error.message.replace(/ \(attempt \d+\)$/, "")}${tries}`, error.url, error.status, { cause: error, timedOut: error.timedOut });
    if (APICallError.isInstance(error)) {
      const status = error.statusCode;
      const body = typeof error.responseBody === "string" ? error.responseBody.replace(/\s+/g, " ").slice(0, 200) : "";
      const what = status ? `HTTP ${status}${body ? `: ${body}` : ""}` : error.message;
      return new BackendError(`backend ${error.url} failed: ${what}${tries}`, error.url, status, { cause: error });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new BackendError(`${this.where()} failed: ${message}${tries}`, this.info.baseUrl, undefined, { cause: error });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.queue.clear();
    await this.queue.onIdle();
    await this.options.onDispose?.();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}

function isRetryable(error: unknown): boolean {
  if (APICallError.isInstance(error)) return error.isRetryable;
  if (error instanceof BackendError) return true; // timeouts
  return false;
}
