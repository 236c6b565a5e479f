import { existsSync } from "node:fs";
import { basename, resolve } from "node:path";
import type { GpuSetting } from "../../config.js";
import { ModelLoadError } from "../../errors.js";
import type { Logger } from "../../util/logger.js";
import { ModelClient } from "../client.js";
import { defaultLlamaThreads } from "./default-threads.js";
import { LlamaLanguageModel } from "./llama-language-model.js";

export interface LlamaModelOptions {
  /** Path of a .gguf file. */
  path: string;
  /** Parallel sequences in one context: generations that run together in one batch (default 4). */
  sequences?: number;
  /** CPU threads (default: the cores this process may use, see defaultLlamaThreads). */
  threads?: number;
  /** Context size of each sequence in tokens (default 4096, capped at the model's training context). */
  contextSize?: number;
  /** auto: CUDA or Vulkan when a working build is present, CPU otherwise. */
  gpu?: GpuSetting;
  /** Cap on generated tokens when a call sets none (default 1024). */
  defaultMaxTokens?: number;
  logger?: Logger;
}

/** Loads a GGUF into llama.cpp in-process and wraps it as a TextModel. `dispose()` frees the context and the model. */
export async function openLlamaModel(options: LlamaModelOptions): Promise<ModelClient> {
  const path = resolve(options.path);
  if (!existsSync(path)) throw new ModelLoadError(`model file not found: ${path}`);
  const sequences = options.sequences ?? 4;
  const { getLlama, LlamaChat, LlamaLogLevel, resolveChatWrapper } = await import("node-llama-cpp");
  const log = options.logger;
  const llama = await getLlama({
    gpu: options.gpu === undefined || options.gpu === "auto" ? "auto" : options.gpu === "cpu" ? false : options.gpu,
    logLevel: LlamaLogLevel.warn,
    logger: (level, message) => log?.debug(`llama.cpp: ${message.trim()}`, { level }),
  });
  try {
    const model = await llama.loadModel({ modelPath: path }).catch((error: unknown) => {
      throw new ModelLoadError(`cannot load ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
    const trainContext = model.trainContextSize;
    const context = await model.createContext({
      sequences,
      threads: options.threads ?? defaultLlamaThreads(),
      contextSize: Math.min(options.contextSize ?? 4096, trainContext),
    });
    const chatWrapper = resolveChatWrapper(model);
    if (!chatWrapper) throw new ModelLoadError(`${path} has no chat template node-llama-cpp recognises`);
    const chats = Array.from({ length: sequences }, () => new LlamaChat({ contextSequence: context.getSequence(), chatWrapper }));
    log?.debug("loaded GGUF", { path, gpu: llama.gpu, sequences, threads: context.idealThreads, contextSize: context.contextSize, chatWrapper: chatWrapper.wrapperName });
    const languageModel = new LlamaLanguageModel({
      llama,
      model,
      chats,
      chatWrapper,
      modelId: basename(path),
      defaultMaxTokens: options.defaultMaxTokens ?? 1024,
    });
    return new ModelClient(
      languageModel,
      { backend: "llama", id: basename(path), path },
      {
        concurrency: sequences,
        retries: 0,
        timeoutMs: 30 * 60_000,
        onDispose: async () => {
          for (const chat of chats) chat.dispose();
          await context.dispose();
          await model.dispose();
          await llama.dispose();
        },
      },
    );
  } catch (error) {
    await llama.dispose();
    throw error;
  }
}
