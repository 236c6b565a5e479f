/**
 * Hugging Face Llama checkpoint (safetensors, f32/f16/bf16, sharded or not) → GGUF v3, tensor by tensor and chunk by
 * chunk, so memory stays at a few chunks however large the model. Writes `<out>.partial` and renames it when done.
 */
import { existsSync, statfsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { AbortedError, InputError, VpoError } from "../errors.js";
import { gguf, tensorByteLength, type GgufMetadata } from "../gguf/types.js";
import { writeGguf, type GgufTensorSource } from "../gguf/writer.js";
import { replaceFile } from "../util/files.js";
import type { Logger } from "../util/logger.js";
import { Checkpoint } from "./checkpoint.js";
import { ChunkPool, defaultConvertThreads } from "./chunk-pool.js";
import { SOURCE_DTYPE_BYTES } from "./dtype.js";
import { llama3RopeFactors, llamaMetadata, readLlamaConfig, type LlamaHyperParams } from "./llama-config.js";
import { FILE_TYPE_IDS, planTensors, type ConvertType, type PlannedTensor } from "./tensor-plan.js";
import { tokenizerMetadata, type TokenizerSummary } from "./tokenizer-metadata.js";

/** Source bytes per chunk: large enough to amortise worker hand-offs, small enough to keep memory flat. */
const CHUNK_BYTES = 4 << 20;

export interface ConvertProgress {
  tensor: string;
  tensorIndex: number;
  tensorCount: number;
  /** Source bytes converted so far and in all. */
  bytes: number;
  totalBytes: number;
  elapsedMs: number;
}

export interface ConvertOptions {
  /** Checkpoint folder: config.json, tokenizer.json, tokenizer_config.json, safetensors (+ index). */
  dir: string;
  out: string;
  type: ConvertType;
  /** Worker threads for conversion (0: on the main thread). Default: cores − 1, at most 8. */
  threads?: number;
  /** general.name (default: the folder name). */
  name?: string;
  /** Hugging Face repository the checkpoint came from, recorded as general.source.huggingface.repository. */
  repo?: string;
  /** Replace an existing output file. */
  overwrite?: boolean;
  /** Override the detected pre-tokenizer name (tokenizer.ggml.pre). */
  tokenizerPre?: string;
  onProgress?: (p: ConvertProgress) => void;
  signal?: AbortSignal;
  logger?: Logger;
}

export interface ConvertResult {
  out: string;
  type: ConvertType;
  tensors: number;
  sourceBytes: number;
  outputBytes: number;
  largestTensorBytes: number;
  elapsedMs: number;
  hyperParams: LlamaHyperParams;
  tokenizer: TokenizerSummary;
}

function sourceBytes(t: PlannedTensor): number {
  return "entry" in t.source ? t.source.entry.byteLength : t.source.values.byteLength;
}

async function* tensorChunks(t: PlannedTensor, checkpoint: Checkpoint, pool: ChunkPool, onChunk: (bytes: number) => void, signal?: AbortSignal): AsyncIterable<Uint8Array> {
  if (!("entry" in t.source)) {
    onChunk(t.source.values.byteLength);
    yield new Uint8Array(t.source.values.buffer.slice(0));
    return;
  }
  const { entry, dtype } = t.source;
  const cols = t.dims[0]!;
  const rows = entry.byteLength / (cols * SOURCE_DTYPE_BYTES[dtype]);
  const rowBytes = cols * SOURCE_DTYPE_BYTES[dtype];
  const group = t.permuteHeadDim ?? 1;
  const rowsPerChunk = Math.max(group, Math.floor(CHUNK_BYTES / rowBytes / group) * group);
  const inFlight: { job: Promise<Uint8Array>; bytes: number }[] = [];
  for (let row = 0; row < rows; row += rowsPerChunk) {
    if (signal?.aborted) throw new AbortedError("conversion cancelled");
    const n = Math.min(rowsPerChunk, rows - row);
    const src = await checkpoint.read(entry, row * rowBytes, n * rowBytes);
    const job = pool.run({ src, dtype, type: t.type, cols, permuteHeadDim: t.permuteHeadDim });
    job.catch(() => undefined); // awaited in order below; this only stops an early failure counting as unhandled
    inFlight.push({ job, bytes: n * rowBytes });
    // Keep every worker busy, and no more: memory stays at about (threads + 1) chunks.
    while (inFlight.length > pool.parallelism) {
      const next = inFlight.shift()!;
      yield await next.job;
      onChunk(next.bytes);
    }
  }
  for (const next of inFlight) {
    yield await next.job;
    onChunk(next.bytes);
  }
}

export async function convertCheckpoint(options: ConvertOptions): Promise<ConvertResult> {
  const started = Date.now();
  const dir = resolve(options.dir);
  const out = resolve(options.out);
  if (!out.toLowerCase().endsWith(".gguf")) throw new InputError(`output ${out} should end in .gguf`);
  if (existsSync(out) && !options.overwrite) throw new InputError(`${out} already exists (pass --force to replace it)`);
  if (!existsSync(dirname(out))) throw new InputError(`output folder ${dirname(out)} does not exist`);

  const hp = await readLlamaConfig(dir);
  const tokenizer = await tokenizerMetadata(dir, { vocabSize: hp.vocabSize, pre: options.tokenizerPre });
  const checkpoint = await Checkpoint.open(dir);
  const pool = new ChunkPool(options.threads ?? defaultConvertThreads());
  try {
    const planned = planTensors(checkpoint.tensors, hp, options.type, llama3RopeFactors(hp));
    const metadata: GgufMetadata = new Map([
      ["general.architecture", gguf.string("llama")],
      ["general.type", gguf.string("model")],
      ["general.name", gguf.string(options.name ?? basename(dir))],
      ["general.file_type", gguf.u32(FILE_TYPE_IDS[options.type])],
      ["general.quantization_version", gguf.u32(2)],
      ...(options.repo ? ([["general.source.huggingface.repository", gguf.string(options.repo)]] as const) : []),
      ...llamaMetadata(hp),
      ...tokenizer.entries,
    ]);

    const totalBytes = planned.reduce((a, t) => a + sourceBytes(t), 0);
    const outputBytes = planned.reduce((a, t) => a + tensorByteLength(t.type, t.dims), 0);
    checkFreeSpace(dirname(out), outputBytes);
    options.logger?.debug("conversion plan", { tensors: planned.length, sourceBytes: totalBytes, outputBytes, threads: pool.threads });

    let done = 0;
    const sources: GgufTensorSource[] = planned.map((t, index) => ({
      name: t.name,
      dims: t.dims,
      type: t.type,
      data: () => {
        if (options.signal?.aborted) throw new AbortedError("conversion cancelled");
        return tensorChunks(t, checkpoint, pool, (bytes) => {
          done += bytes;
          options.onProgress?.({ tensor: t.name, tensorIndex: index, tensorCount: planned.length, bytes: done, totalBytes, elapsedMs: Date.now() - started });
        }, options.signal);
      },
    }));
    // A fixed temporary name: the next conversion overwrites what a killed one left (gigabytes).
    await replaceFile(out, (partial) => writeGguf(partial, metadata, sources), { temporary: `${out}.partial` });
    return {
      out,
      type: options.type,
      tensors: planned.length,
      sourceBytes: totalBytes,
      outputBytes: (await stat(out)).size,
      largestTensorBytes: Math.max(...planned.map(sourceBytes)),
      elapsedMs: Date.now() - started,
      hyperParams: hp,
      tokenizer: tokenizer.summary,
    };
  } finally {
    await pool.close();
    await checkpoint.close();
  }
}

function checkFreeSpace(folder: string, needed: number): void {
  try {
    const fs = statfsSync(folder);
    const free = fs.bavail * fs.bsize;
    if (free < needed) throw new InputError(`${folder} has ${(free / 1e9).toFixed(1)} GB free; the converted file needs ${(needed / 1e9).toFixed(1)} GB`);
  } catch (error) {
    if (VpoError.isInstance(error)) throw error; // statfs unsupported: skip the check
  }
}
