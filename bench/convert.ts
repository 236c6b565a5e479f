/**
 * bench:convert — conversion throughput and peak memory on a ~1 GB synthetic Llama checkpoint (bf16, two shards,
 * real Llama 3 tokenizer), for f16, q8_0 and q4_0. Each conversion runs in its own process (the built library), so
 * its peak RSS (which includes worker threads) is its own. Target: peak RSS < 2 × the largest tensor + 200 MB.
 * The synthetic checkpoint is deleted afterwards.
 *
 *   npm run bench:convert [-- --threads 0,1 --types f16,q8_0,q4_0 --hidden 1536 --layers 4]
 */
import { execFile } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { llama3TokenizerFiles } from "../test/fixtures/llama3-tokenizer-json.js";
import { writeSafetensors, type SafetensorsTensor } from "../test/fixtures/safetensors-writer.js";
import { llamaTensorShapes } from "../test/fixtures/tiny-checkpoint.js";

const run = promisify(execFile);
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const hidden = Number(arg("hidden", "1536"));
const layers = Number(arg("layers", "4"));
const types = arg("types", "f16,q8_0,q4_0").split(",");
const threadCounts = arg("threads", `0,${Math.max(1, Math.min(availableParallelism() - 1, 8))}`).split(",").map(Number);
const shape = { hidden, layers, heads: hidden / 128, kvHeads: Math.max(1, hidden / 512), intermediate: Math.round((hidden * 8) / 3 / 256) * 256, vocab: 128256 };

/** bf16 noise of realistic magnitude (|x| in [2^-7, 2^-6)), made fast: random sign and mantissa, fixed exponent. */
function noiseBf16(count: number): Uint8Array {
  const out = new Uint16Array(count);
  randomFillSync(out);
  for (let i = 0; i < count; i++) out[i] = (out[i]! & 0x807f) | 0x3c00;
  return new Uint8Array(out.buffer);
}

async function writeCheckpoint(dir: string): Promise<{ bytes: number; largest: number }> {
  const shapes = llamaTensorShapes(shape);
  const tensors: SafetensorsTensor[] = shapes.map(([name, s]) => ({ name, dtype: "BF16", shape: s, data: () => noiseBf16(s.reduce((a, b) => a * b, 1)) }));
  const half = Math.ceil(tensors.length / 2);
  const shards = [tensors.slice(0, half), tensors.slice(half)];
  const weightMap: Record<string, string> = {};
  for (const [i, shard] of shards.entries()) {
    const file = `model-0000${i + 1}-of-00002.safetensors`;
    await writeSafetensors(join(dir, file), shard);
    for (const t of shard) weightMap[t.name] = file;
  }
  const sizes = shapes.map(([, s]) => s.reduce((a, b) => a * b, 2));
  const { tokenizer, tokenizerConfig } = await llama3TokenizerFiles();
  await writeFile(join(dir, "model.safetensors.index.json"), JSON.stringify({ weight_map: weightMap }));
  await writeFile(join(dir, "tokenizer.json"), JSON.stringify(tokenizer));
  await writeFile(join(dir, "tokenizer_config.json"), JSON.stringify(tokenizerConfig));
  await writeFile(join(dir, "config.json"), JSON.stringify({
    architectures: ["LlamaForCausalLM"], hidden_size: shape.hidden, intermediate_size: shape.intermediate, num_hidden_layers: layers,
    num_attention_heads: shape.heads, num_key_value_heads: shape.kvHeads, vocab_size: shape.vocab, max_position_embeddings: 8192,
    rms_norm_eps: 1e-5, rope_theta: 500000, tie_word_embeddings: false, torch_dtype: "bfloat16",
  }));
  return { bytes: sizes.reduce((a, b) => a + b, 0), largest: Math.max(...sizes) };
}

/** Runs one conversion in a fresh process on the built library and reports its time and peak RSS. */
async function convertOnce(dir: string, out: string, type: string, threads: number): Promise<{ ms: number; maxRssMb: number }> {
  const lib = fileURLToPath(new URL("../dist/convert/convert.js", import.meta.url));
  const script = `
    const { convertCheckpoint } = await import(${JSON.stringify(lib)});
    const r = await convertCheckpoint({ dir: ${JSON.stringify(dir)}, out: ${JSON.stringify(out)}, type: ${JSON.stringify(type)}, threads: ${threads}, overwrite: true });
    process.stdout.write(JSON.stringify({ ms: r.elapsedMs, maxRssMb: process.resourceUsage().maxRSS / 1024 }));`;
  const file = join(dirname(out), "convert-once.mjs");
  await writeFile(file, script);
  const { stdout } = await run(process.execPath, [file], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as { ms: number; maxRssMb: number };
}

const work = await mkdtemp(join(tmpdir(), "vpo-bench-convert-"));
try {
  const started = Date.now();
  const { bytes, largest } = await writeCheckpoint(work);
  const target = (2 * largest) / 1e6 + 200;
  console.log(`synthetic checkpoint: hidden ${hidden}, ${layers} layers, vocab ${shape.vocab}: ${(bytes / 1e6).toFixed(0)} MB bf16 in 2 shards, largest tensor ${(largest / 1e6).toFixed(0)} MB (written in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  console.log(`machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? "?"}); shared with other work, so timings are noisy`);
  console.log(`target: peak RSS < 2 × largest tensor + 200 MB = ${target.toFixed(0)} MB\n`);
  console.log("type   threads  seconds   MB/s   peak RSS MB   RSS / target");
  for (const type of types) {
    for (const threads of threadCounts) {
      const out = join(work, `out.${type}.gguf`);
      const r = await convertOnce(work, out, type, threads);
      await rm(out, { force: true });
      const mbs = bytes / 1e6 / (r.ms / 1000);
      console.log(`${type.padEnd(6)} ${String(threads).padStart(7)}  ${(r.ms / 1000).toFixed(1).padStart(7)}  ${mbs.toFixed(0).padStart(5)}   ${r.maxRssMb.toFixed(0).padStart(11)}   ${(r.maxRssMb / target).toFixed(2).padStart(12)}${r.maxRssMb < target ? "" : "  OVER TARGET"}`);
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
  console.log("\nsynthetic checkpoint deleted");
}
