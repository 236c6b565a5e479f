import type {
  JSONSchema7,
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3FinishReason,
  LanguageModelV3GenerateResult,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
} from "@ai-sdk/provider";
import type { ChatHistoryItem, ChatWrapper, Llama, LlamaChat, LlamaGrammar, LlamaModel } from "node-llama-cpp";
import { Pool } from "./sequence-pool.js";

export interface LlamaLanguageModelParts {
  llama: Llama;
  model: LlamaModel;
  chats: LlamaChat[];
  chatWrapper: ChatWrapper;
  modelId: string;
  /** Default cap on generated tokens when a call sets none. */
  defaultMaxTokens: number;
}

function toHistory(prompt: LanguageModelV3Prompt): ChatHistoryItem[] {
  const text = (parts: readonly { type: string; text?: string }[]) => parts.map((p) => (p.type === "text" ? p.text ?? "" : "")).join("");
  const history: ChatHistoryItem[] = prompt.map((m) => {
    switch (m.role) {
      case "system":
        return { type: "system", text: m.content };
      case "user":
        return { type: "user", text: text(m.content) };
      case "assistant":
        return { type: "model", response: [text(m.content)] };
      default:
        throw new TypeError(`the llama.cpp backend does not take ${m.role} messages`);
    }
  });
  history.push({ type: "model", response: [] });
  return history;
}

function finishReason(stopReason: string): LanguageModelV3FinishReason {
  if (stopReason === "maxTokens") return { unified: "length", raw: stopReason };
  if (stopReason === "abort") return { unified: "other", raw: stopReason };
  return { unified: "stop", raw: stopReason };
}

function usage(input: number, output: number): LanguageModelV3Usage {
  return {
    inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
    outputTokens: { total: output, text: output, reasoning: undefined },
  };
}

/** llama.cpp's JSON-schema grammar takes a subset of JSON Schema; drop the annotations it does not read. */
function grammarSchema(schema: JSONSchema7): unknown {
  const { $schema: _ignored, ...rest } = schema as JSONSchema7 & { $schema?: string };
  return rest;
}

/**
 * AI SDK LanguageModelV3 over an in-process llama.cpp model (node-llama-cpp). Each call takes one of the context's
 * sequences, so up to `chats.length` generations run in parallel in one batch. Chat formatting comes from the
 * model's chat wrapper (Llama 3 for VPO models), so a one-user-turn prompt becomes exactly
 * `<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n{text}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n`.
 */
export class LlamaLanguageModel implements LanguageModelV3 {
  readonly specificationVersion = "v3";
  readonly provider = "llama.cpp";
  readonly modelId: string;
  readonly supportedUrls = {};
  private readonly pool: Pool<LlamaChat>;
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();

  constructor(private readonly parts: LlamaLanguageModelParts) {
    this.modelId = parts.modelId;
    this.pool = new Pool(parts.chats);
  }

  /** Token count of the rendered prompt, as the model will see it. */
  countPromptTokens(history: ChatHistoryItem[]): number {
    const { contextText } = this.parts.chatWrapper.generateContextState({ chatHistory: history });
    return contextText.tokenize(this.parts.model.tokenizer).length;
  }

  /** The exact text (special tokens spelled out) the model is fed for a prompt: for auditing the chat format. */
  renderPrompt(prompt: LanguageModelV3Prompt): string {
    const { contextText } = this.parts.chatWrapper.generateContextState({ chatHistory: toHistory(prompt) });
    return this.parts.model.detokenize(contextText.tokenize(this.parts.model.tokenizer), true);
  }

  private grammar(schema: JSONSchema7 | undefined): Promise<LlamaGrammar> | undefined {
    if (!schema) return undefined;
    const key = JSON.stringify(schema);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      grammar = this.parts.llama.createGrammarForJsonSchema(grammarSchema(schema) as never);
      this.grammars.set(key, grammar);
    }
    return grammar;
  }

  /** A GBNF grammar passed as `providerOptions.llama.grammar` (see GenerateRequest.grammar). */
  private gbnf(options: LanguageModelV3CallOptions): Promise<LlamaGrammar> | undefined {
    const source = options.providerOptions?.llama?.grammar;
    if (typeof source !== "string") return undefined;
    const key = `gbnf:${source}`;
    let grammar = this.grammars.get(key);
    if (!grammar) {
      grammar = this.parts.llama.createGrammar({ grammar: source });
      this.grammars.set(key, grammar);
    }
    return grammar;
  }

  private async run(options: LanguageModelV3CallOptions, onText?: (chunk: string) => void) {
    const history = toHistory(options.prompt);
    const grammar = options.responseFormat?.type === "json" ? await this.grammar(options.responseFormat.schema) : await this.gbnf(options);
    return this.pool.use(async (chat) => {
      // A seeded request is evaluated from an empty sequence, as in a fresh process: reusing the KV cache of an
      // earlier request splits the prompt's evaluation differently, and the rounding that changes moves samples.
      if (options.seed !== undefined) await chat.sequence.clearHistory();
      let outputTokens = 0;
      const response = await chat.generateResponse(history, {
        maxTokens: options.maxOutputTokens ?? this.parts.defaultMaxTokens,
        temperature: options.temperature,
        topP: options.topP,
        topK: options.topK ?? 0,
        seed: options.seed,
        // The official VPO sampling (HF/vLLM defaults) applies no repetition penalty.
        repeatPenalty: false,
        grammar,
        signal: options.abortSignal,
        onToken: (tokens) => {
          outputTokens += tokens.length;
        },
        onTextChunk: onText,
      });
      return {
        text: response.response,
        finishReason: finishReason(response.metadata.stopReason),
        usage: usage(this.countPromptTokens(history), outputTokens),
      };
    });
  }

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const result = await this.run(options);
    return {
      content: [{ type: "text", text: result.text }],
      finishReason: result.finishReason,
      usage: result.usage,
      warnings: [],
    };
  }

  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    let controller!: ReadableStreamDefaultController<LanguageModelV3StreamPart>;
    const stream = new ReadableStream<LanguageModelV3StreamPart>({ start: (c) => void (controller = c) });
    controller.enqueue({ type: "stream-start", warnings: [] });
    controller.enqueue({ type: "text-start", id: "0" });
    this.run(options, (delta) => controller.enqueue({ type: "text-delta", id: "0", delta })).then(
      (result) => {
        controller.enqueue({ type: "text-end", id: "0" });
        controller.enqueue({ type: "finish", finishReason: result.finishReason, usage: result.usage });
        controller.close();
      },
      (error: unknown) => {
        controller.enqueue({ type: "error", error });
        controller.close();
      },
    );
    return { stream };
  }
}
