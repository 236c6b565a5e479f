import type { GpuSetting } from "../../config.js";
import { UsageError } from "../../errors.js";
import type { ModelSpec } from "../../model/open-model.js";
import type { Sampling } from "../../model/types.js";
import { GUARD_POLICIES, type GuardPolicy } from "../../guard/guarded-optimize.js";
import { PRESETS, type PresetName } from "../../optimize/sampling.js";

/** A system under test as written on the command line, before any model is opened. */
export type SystemSpec =
  | { name: string; kind: "original" }
  | {
      name: string;
      kind: "optimizer";
      model: ModelSpec;
      /** vpo (the VPO contract), few-shot (the general-LLM baseline) or a template file. */
      template: string;
      preset: PresetName;
      sampling: Sampling;
      /** Run the optimizer through the guard with this policy (safety suite). */
      guard?: GuardPolicy;
    };

/** Splits a flag string on spaces, honouring '…' and "…" quoting and backslash escapes. */
export function splitFlags(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let quote: string | undefined;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      started = true;
    } else if (c === "\\" && i + 1 < text.length) {
      current += text[++i];
      started = true;
    } else if (/\s/.test(c)) {
      if (started) out.push(current);
      current = "";
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (quote) throw new UsageError(`unclosed ${quote} in "${text}"`);
  if (started) out.push(current);
  return out;
}

const number = (flag: string, raw: string | undefined, integer = false): number => {
  const n = Number(raw);
  if (raw === undefined || raw.trim() === "" || !Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new UsageError(`${flag} expects ${integer ? "an integer" : "a number"}, got ${raw === undefined ? "nothing" : `"${raw}"`}`);
  return n;
};

export const SYSTEM_FLAGS = ["--base-url", "--model", "--api-key", "--template", "--preset", "--temperature", "--top-p", "--max-tokens", "--seed", "--concurrency", "--timeout", "--retries", "--threads", "--context-size", "--gpu", "--guard"];

/**
 * Reads one `--system` value: `original` (the raw query is the prompt), `NAME=original`, or `NAME=<model flags>`:
 * `--base-url URL --model NAME [--api-key KEY] [--template vpo|few-shot|FILE] [--preset official|sample]
 * [--temperature T] [--top-p P] [--max-tokens N] [--seed N] [--concurrency N] [--timeout SECONDS] [--retries N]
 * [--threads N] [--context-size N] [--gpu auto|cuda|vulkan|cpu] [--guard [sanitize|refuse|pass-through]]`, or
 * `--model FILE.gguf` to run a GGUF in-process. Values with spaces are quoted.
 */
export function parseSystemSpec(value: string, defaults: { concurrency?: number } = {}): SystemSpec {
  const text = value.trim();
  if (text === "original") return { name: "original", kind: "original" };
  const eq = text.indexOf("=");
  if (eq <= 0) throw new UsageError(`--system "${value}": expected "original" or NAME=<model flags>, e.g. vpo="--base-url http://127.0.0.1:8000/v1 --model vpo"`);
  const name = text.slice(0, eq).trim();
  if (!/^[\w.-]+$/.test(name)) throw new UsageError(`system name "${name}" must be letters, digits, ".", "-" or "_"`);
  const rest = text.slice(eq + 1).trim();
  if (rest === "original") return { name, kind: "original" };
  const tokens = splitFlags(rest);
  const model: ModelSpec = { ...(defaults.concurrency ? { concurrency: defaults.concurrency } : {}) };
  const sampling: Sampling = {};
  let template = "vpo";
  let preset: PresetName = "official";
  let guard: GuardPolicy | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const flag = tokens[i]!;
    const takes = () => {
      const v = tokens[i + 1];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`--system ${name}: ${flag} needs a value`);
      i++;
      return v;
    };
    switch (flag) {
      case "--base-url": model.baseUrl = takes(); break;
      case "--model": model.model = takes(); break;
      case "--api-key": model.apiKey = takes(); break;
      case "--template": template = takes(); break;
      case "--preset": {
        const p = takes();
        if (!(p in PRESETS)) throw new UsageError(`--system ${name}: unknown preset "${p}" (expected ${Object.keys(PRESETS).join(" or ")})`);
        preset = p as PresetName;
        break;
      }
      case "--temperature": sampling.temperature = number(flag, takes()); break;
      case "--top-p": sampling.topP = number(flag, takes()); break;
      case "--max-tokens": sampling.maxTokens = number(flag, takes(), true); break;
      case "--seed": sampling.seed = number(flag, takes(), true); break;
      case "--concurrency": model.concurrency = number(flag, takes(), true); break;
      case "--timeout": model.timeoutMs = Math.round(number(flag, takes()) * 1000); break;
      case "--retries": model.retries = number(flag, takes(), true); break;
      case "--threads": model.threads = number(flag, takes(), true); break;
      case "--context-size": model.contextSize = number(flag, takes(), true); break;
      case "--gpu": {
        const g = takes();
        if (!["auto", "cuda", "vulkan", "cpu"].includes(g)) throw new UsageError(`--system ${name}: --gpu expects auto, cuda, vulkan or cpu, got "${g}"`);
        model.gpu = g as GpuSetting;
        break;
      }
      case "--guard": {
        const next = tokens[i + 1];
        if (next !== undefined && !next.startsWith("--")) {
          if (!GUARD_POLICIES.includes(next as GuardPolicy)) throw new UsageError(`--system ${name}: --guard policy must be ${GUARD_POLICIES.join(", ")}, got "${next}"`);
          guard = next as GuardPolicy;
          i++;
        } else guard = "sanitize";
        break;
      }
      default:
        throw new UsageError(`--system ${name}: unknown flag "${flag}" (known: ${SYSTEM_FLAGS.join(" ")})`);
    }
  }
  if (!model.baseUrl && !model.model) throw new UsageError(`--system ${name}: no model: give --base-url URL --model NAME, or --model FILE.gguf`);
  return { name, kind: "optimizer", model, template, preset, sampling, ...(guard ? { guard } : {}) };
}
