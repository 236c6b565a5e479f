import { readFile, rm } from "node:fs/promises";
import { convertCheckpoint } from "../convert/convert.js";
import { verifyConversion, type VerifyOptions, type VerifyReport } from "../convert/verify.js";
import { TOKENIZER_EDGE_TEXTS } from "../convert/verify-texts.js";
import { InputError } from "../errors.js";
import { VPO_TEMPLATE_TEXT } from "../optimize/template.js";
import type { Logger } from "../util/logger.js";

/** A VPO model's tokenization check: its input contract around a query, then the tokenizer's hard cases. */
export const VPO_VERIFY_TEXTS: readonly string[] = [VPO_TEMPLATE_TEXT.replace("{}", "a cat playing piano in a jazz bar"), ...TOKENIZER_EDGE_TEXTS];

/** The prompt after which a VPO model's converted and reference next-token distributions are compared. */
export const VPO_LOGITS_PROMPT = VPO_TEMPLATE_TEXT.replace("{}", "a corgi surfing a wave at sunset, slow motion");

export interface VpoVerifyOptions extends Omit<VerifyOptions, "texts" | "logitsPrompt"> {
  /** Default: VPO_VERIFY_TEXTS. */
  texts?: readonly string[];
  /** Worker threads of the temporary f16 reference's conversion. */
  convertThreads?: number;
  logger?: Logger;
}

/**
 * `vpo convert --verify` of a VPO checkpoint: tokenization parity on the VPO texts, and logits against `reference`.
 * Without one, a q8_0 or q4_0 file is compared with a temporary f16 conversion of the same checkpoint (deleted
 * afterwards); an f16 or f32 file is its own reference, so only its tokenization is checked.
 */
export async function verifyVpoConversion(options: VpoVerifyOptions): Promise<VerifyReport> {
  const { logger } = options;
  let reference = options.reference;
  let temporary: string | undefined;
  if (!reference && (options.type === "q8_0" || options.type === "q4_0")) {
    temporary = `${options.gguf}.verify-f16.gguf`;
    logger?.info(`building an f16 reference for the logits check (${temporary}, deleted afterwards)`);
    reference = (await convertCheckpoint({ dir: options.dir, out: temporary, type: "f16", threads: options.convertThreads, overwrite: true, logger })).out;
  } else if (!reference) logger?.info(`logits check skipped: a ${options.type} file is its own reference (pass a reference to compare with another file)`);
  try {
    return await verifyConversion({ ...options, reference, texts: options.texts ?? VPO_VERIFY_TEXTS, logitsPrompt: VPO_LOGITS_PROMPT });
  } finally {
    if (temporary) await rm(temporary, { force: true });
  }
}

/** Texts to tokenize from a file: a JSON array of strings, or one text a line. */
export async function readVerifyTexts(path: string): Promise<string[]> {
  const text = await readFile(path, "utf8").catch((e: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read (${e.code ?? e.message})`, path);
  });
  if (path.endsWith(".json")) {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed) || !parsed.every((t) => typeof t === "string")) throw new InputError("expected a JSON array of strings", path);
    return parsed;
  }
  return text.split(/\r?\n/).filter((l) => l.length > 0);
}
