/**
 * tokenizer.json + tokenizer_config.json → llama.cpp's BPE tokenizer metadata (`tokenizer.ggml.*`): tokens in id
 * order, token types (control tokens marked), merges, special token ids, add-BOS flag and the chat template.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { InputError } from "../errors.js";
import { gguf, type GgufValue } from "../gguf/types.js";

/** llama.cpp's token types. */
export enum TokenType {
  Normal = 1,
  Unknown = 2,
  Control = 3,
  UserDefined = 4,
  Unused = 5,
  Byte = 6,
}

/** Pre-tokenizer split patterns llama.cpp knows by name (tokenizer.ggml.pre). */
export const KNOWN_PRE_TOKENIZERS: Record<string, string> = {
  "llama-bpe":
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
};

const addedTokenSchema = z.object({ id: z.number().int().nonnegative(), content: z.string(), special: z.boolean().optional() });
const tokenizerSchema = z.object({
  added_tokens: z.array(addedTokenSchema).default([]),
  pre_tokenizer: z.unknown().optional(),
  post_processor: z.unknown().optional(),
  model: z.object({
    type: z.string().optional(),
    vocab: z.record(z.string(), z.number().int().nonnegative()),
    merges: z.array(z.union([z.string(), z.tuple([z.string(), z.string()])])).default([]),
  }),
});
const tokenRef = z.union([z.string(), z.object({ content: z.string() })]).nullish();
const tokenizerConfigSchema = z.object({
  bos_token: tokenRef,
  eos_token: tokenRef,
  pad_token: tokenRef,
  unk_token: tokenRef,
  add_bos_token: z.boolean().optional(),
  add_eos_token: z.boolean().optional(),
  chat_template: z.union([z.string(), z.array(z.object({ name: z.string(), template: z.string() }))]).optional(),
});

async function readJson(path: string, required: boolean): Promise<unknown> {
  if (!existsSync(path)) {
    if (required) throw new InputError("not found", path);
    return undefined;
  }
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new InputError(`not valid JSON (${(error as Error).message})`, path);
  }
}

function parse<T>(schema: z.ZodType<T>, json: unknown, path: string): T {
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new InputError(`${issue.path.join(".") || "(root)"}: ${issue.message}`, path);
  }
  return result.data;
}

/** The regex of the first Split step of a pre_tokenizer (plain or inside a Sequence). */
function splitPattern(pre: unknown): string | undefined {
  const node = pre as { type?: string; pretokenizers?: unknown[]; pattern?: { Regex?: string } } | undefined;
  if (!node) return undefined;
  if (node.type === "Split") return node.pattern?.Regex;
  if (node.type === "Sequence") for (const p of node.pretokenizers ?? []) {
    const found = splitPattern(p);
    if (found) return found;
  }
  return undefined;
}

/** Whether the post-processor template starts single sequences with a special token (that is, adds BOS). */
function templateAddsBos(post: unknown): boolean | undefined {
  const node = post as { type?: string; processors?: unknown[]; single?: { SpecialToken?: unknown }[] } | undefined;
  if (!node) return undefined;
  if (node.type === "TemplateProcessing") return node.single?.[0]?.SpecialToken !== undefined;
  if (node.type === "Sequence") for (const p of node.processors ?? []) {
    const found = templateAddsBos(p);
    if (found !== undefined) return found;
  }
  return undefined;
}

export interface TokenizerMetadataOptions {
  /** Vocabulary size the model's embedding has (config.json vocab_size); ids the tokenizer lacks become padding. */
  vocabSize: number;
  /** Override the detected pre-tokenizer name. */
  pre?: string;
}

export interface TokenizerSummary {
  tokens: number;
  merges: number;
  controlTokens: number;
  pre: string;
  bos?: number;
  eos?: number;
  eot?: number;
  chatTemplate: boolean;
}

export async function tokenizerMetadata(dir: string, options: TokenizerMetadataOptions): Promise<{ entries: [string, GgufValue][]; summary: TokenizerSummary }> {
  const tokPath = join(dir, "tokenizer.json");
  const cfgPath = join(dir, "tokenizer_config.json");
  const tok = parse(tokenizerSchema, await readJson(tokPath, true), tokPath);
  const cfg = parse(tokenizerConfigSchema, (await readJson(cfgPath, false)) ?? {}, cfgPath);
  const modelConfig = ((await readJson(join(dir, "config.json"), false)) ?? {}) as Record<string, unknown>;

  if (tok.model.type !== undefined && tok.model.type !== "BPE") {
    throw new InputError(`tokenizer model ${tok.model.type} is not supported; vpo converts byte-level BPE tokenizers (Llama 3)`, tokPath);
  }
  const pattern = splitPattern(tok.pre_tokenizer);
  const pre = options.pre ?? Object.entries(KNOWN_PRE_TOKENIZERS).find(([, p]) => p === pattern)?.[0];
  if (!pre) throw new InputError(`pre-tokenizer ${JSON.stringify(pattern ?? tok.pre_tokenizer)} is not one llama.cpp knows (vpo detects the Llama 3 "llama-bpe" one)`, tokPath);

  const tokens: string[] = new Array(options.vocabSize);
  const types: number[] = new Array(options.vocabSize).fill(TokenType.Normal);
  for (const [text, id] of Object.entries(tok.model.vocab)) {
    if (id >= options.vocabSize) throw new InputError(`token ${JSON.stringify(text)} has id ${id}, beyond vocab_size ${options.vocabSize}`, tokPath);
    tokens[id] = text;
  }
  for (const added of tok.added_tokens) {
    if (added.id >= options.vocabSize) throw new InputError(`added token ${JSON.stringify(added.content)} has id ${added.id}, beyond vocab_size ${options.vocabSize}`, tokPath);
    tokens[added.id] = added.content;
    // Some checkpoints mark chat-control tokens as not special; their <|…|> shape gives them away.
    const looksSpecial = added.content.startsWith("<|") && added.content.endsWith("|>");
    types[added.id] = added.special || looksSpecial ? TokenType.Control : TokenType.UserDefined;
  }
  for (let i = 0; i < options.vocabSize; i++) {
    if (tokens[i] === undefined) {
      tokens[i] = `[PAD${i}]`;
      types[i] = TokenType.Unused;
    }
  }
  // Pair-form merges (transformers ≥ 4.45) may hold spaces; llama.cpp's text form encodes them as U+0120.
  const merges = tok.model.merges.map((m) => (typeof m === "string" ? m : m.map((part) => part.replaceAll(" ", "\u0120")).join(" ")));

  const idOf = (ref: z.infer<typeof tokenRef>): number | undefined => {
    const content = typeof ref === "string" ? ref : ref?.content;
    return content === undefined ? undefined : tok.added_tokens.find((t) => t.content === content)?.id ?? tok.model.vocab[content];
  };
  const configId = (key: string) => (typeof modelConfig[key] === "number" ? (modelConfig[key] as number) : undefined);
  const bos = idOf(cfg.bos_token) ?? configId("bos_token_id");
  const eos = idOf(cfg.eos_token) ?? configId("eos_token_id");
  const pad = idOf(cfg.pad_token);
  const eotText = tok.added_tokens.find((t) => t.content === "<|eot_id|>" || t.content === "<|im_end|>" || t.content === "<end_of_turn>");
  const addBos = cfg.add_bos_token ?? templateAddsBos(tok.post_processor) ?? bos !== undefined;

  const entries: [string, GgufValue][] = [
    ["tokenizer.ggml.model", gguf.string("gpt2")],
    ["tokenizer.ggml.pre", gguf.string(pre)],
    ["tokenizer.ggml.tokens", gguf.strings(tokens)],
    ["tokenizer.ggml.token_type", gguf.i32s(types)],
    ["tokenizer.ggml.merges", gguf.strings(merges)],
  ];
  if (bos !== undefined) entries.push(["tokenizer.ggml.bos_token_id", gguf.u32(bos)]);
  if (eos !== undefined) entries.push(["tokenizer.ggml.eos_token_id", gguf.u32(eos)]);
  if (eotText) entries.push(["tokenizer.ggml.eot_token_id", gguf.u32(eotText.id)]);
  if (pad !== undefined) entries.push(["tokenizer.ggml.padding_token_id", gguf.u32(pad)]);
  entries.push(["tokenizer.ggml.add_bos_token", gguf.bool(addBos)]);
  if (cfg.add_eos_token !== undefined) entries.push(["tokenizer.ggml.add_eos_token", gguf.bool(cfg.add_eos_token)]);

  const template = await chatTemplate(dir, cfg.chat_template);
  for (const [key, value] of template) entries.push([key, gguf.string(value)]);

  return {
    entries,
    summary: {
      tokens: options.vocabSize,
      merges: merges.length,
      controlTokens: types.filter((t) => t === TokenType.Control).length,
      pre,
      bos,
      eos,
      eot: eotText?.id,
      chatTemplate: template.length > 0,
    },
  };
}

/** tokenizer_config.json's chat_template (a string, or named templates), else chat_template.jinja. */
async function chatTemplate(dir: string, fromConfig: string | { name: string; template: string }[] | undefined): Promise<[string, string][]> {
  if (typeof fromConfig === "string") return [["tokenizer.chat_template", fromConfig]];
  if (Array.isArray(fromConfig)) {
    return fromConfig.map(({ name, template }) => [name === "default" ? "tokenizer.chat_template" : `tokenizer.chat_template.${name}`, template]);
  }
  const jinja = join(dir, "chat_template.jinja");
  if (existsSync(jinja)) return [["tokenizer.chat_template", await readFile(jinja, "utf8")]];
  return [];
}
