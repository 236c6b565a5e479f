/** The checksums the Hub publishes: sha256 for LFS files, the git blob id (sha1 over a "blob <size>\0" header) otherwise. */
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import type { HubFile } from "./hub-client.js";

export interface ExpectedHash {
  algorithm: "sha256" | "git-sha1";
  hex: string;
}

export function expectedHash(file: HubFile): ExpectedHash | undefined {
  if (file.sha256) return { algorithm: "sha256", hex: file.sha256.toLowerCase() };
  if (file.blobId) return { algorithm: "git-sha1", hex: file.blobId.toLowerCase() };
  return undefined;
}

/** A hash in progress over a file's bytes, fed in order. */
export function startHash(algorithm: ExpectedHash["algorithm"], size: number): Hash {
  if (algorithm === "sha256") return createHash("sha256");
  return createHash("sha1").update(`blob ${size}\0`);
}

/** Feeds the first `length` bytes of `path` into `hash` (to resume hashing a partial download). */
export async function hashFilePrefix(hash: Hash, path: string, length: number): Promise<void> {
  if (length === 0) return;
  for await (const chunk of createReadStream(path, { start: 0, end: length - 1 })) hash.update(chunk as Buffer);
}
