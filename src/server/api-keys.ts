import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { InputError } from "../errors.js";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The accepted API keys, kept only as SHA-256 hashes. */
export class ApiKeys {
  private readonly hashes: Set<string>;

  constructor(hashes: Iterable<string>) {
    this.hashes = new Set(hashes);
  }

  get size(): number {
    return this.hashes.size;
  }

  /**
   * The key's id (the first 12 hex digits of its hash: safe to log, stable for rate limits), or undefined when the
   * key is not accepted. Comparing hashes keeps the key itself out of any timing difference.
   */
  verify(key: string): string | undefined {
    const hash = sha256(key);
    return this.hashes.has(hash) ? hash.slice(0, 12) : undefined;
  }
}

/**
 * Key entries, one a line (or comma-separated in an environment variable): a raw key, or `sha256:<64 hex>` for a
 * hashed one. Blank lines and `#` comments are skipped.
 */
export function parseApiKeys(text: string, source: string): string[] {
  const hashes: string[] = [];
  text.split(/[\n,]/).forEach((raw, i) => {
    const entry = raw.trim();
    if (!entry || entry.startsWith("#")) return;
    const hashed = /^sha256:([0-9a-fA-F]{64})$/.exec(entry);
    if (hashed) hashes.push(hashed[1]!.toLowerCase());
    else if (/^sha256:/i.test(entry)) throw new InputError(`a sha256: entry needs 64 hex digits`, source, i + 1);
    else if (/\s/.test(entry)) throw new InputError("an API key cannot contain spaces", source, i + 1);
    else hashes.push(sha256(entry));
  });
  return hashes;
}

/** Keys from a file and/or an environment value; undefined when neither names any. */
export async function loadApiKeys(options: { file?: string; env?: string }): Promise<ApiKeys | undefined> {
  const hashes: string[] = [];
  if (options.file) {
    const text = await readFile(options.file, "utf8").catch((error: unknown) => {
      throw new InputError(`cannot read the API keys file: ${error instanceof Error ? error.message : String(error)}`, options.file);
    });
    const fromFile = parseApiKeys(text, options.file);
    if (!fromFile.length) throw new InputError("the API keys file holds no key", options.file);
    hashes.push(...fromFile);
  }
  if (options.env) hashes.push(...parseApiKeys(options.env, "VPO_API_KEYS"));
  return hashes.length ? new ApiKeys(hashes) : undefined;
}
