import { UsageError } from "../../errors.js";
import { metadataValue, readGguf } from "../../gguf/reader.js";
import type { TextModel } from "../../model/types.js";
import type { ClassifierFormat } from "./types.js";

const BY_NAME: [RegExp, ClassifierFormat][] = [
  [/qwen3?[-_ .]?guard/i, "qwen3guard"],
  [/llama[-_ .]?guard[-_ .]?3/i, "llamaguard3"],
  [/shield[-_ .]?gemma/i, "shieldgemma"],
];

// Phrases each model's own chat template carries (see the model cards cited in categories.ts).
const BY_TEMPLATE: [RegExp, ClassifierFormat][] = [
  [/Safety: Controversial/, "qwen3guard"],
  [/S14: Code Interpreter Abuse|<BEGIN UNSAFE CONTENT CATEGORIES>/, "llamaguard3"],
  [/You are a policy expert trying to help determine whether/, "shieldgemma"],
];

/** The format a model name ("Qwen3Guard-Gen-4B", "llama-guard3:1b") or a chat template implies, if any. */
export function detectClassifierFormat(hint: { name?: string; chatTemplate?: string }): ClassifierFormat | undefined {
  if (hint.name) for (const [re, format] of BY_NAME) if (re.test(hint.name)) return format;
  if (hint.chatTemplate) for (const [re, format] of BY_TEMPLATE) if (re.test(hint.chatTemplate)) return format;
  return undefined;
}

/** `explicit` when given; otherwise from the model's name, then (for a GGUF) the chat template in its metadata. */
export async function resolveClassifierFormat(model: TextModel, explicit?: ClassifierFormat): Promise<ClassifierFormat> {
  if (explicit) return explicit;
  const fromName = detectClassifierFormat({ name: model.info.path ?? model.info.id });
  if (fromName) return fromName;
  if (model.info.path) {
    const template = metadataValue((await readGguf(model.info.path)).metadata, "tokenizer.chat_template");
    const fromTemplate = typeof template === "string" ? detectClassifierFormat({ chatTemplate: template }) : undefined;
    if (fromTemplate) return fromTemplate;
  }
  throw new UsageError(`cannot tell which safety classifier ${model.info.id} is from its name or chat template; pass --safety-format qwen3guard|llamaguard3|shieldgemma`);
}
