/**
 * Downloads what a conversion needs from a Hub model repository — config, tokenizer, generation config, the
 * safetensors shards and their index — pinned to one commit, into `<cache>/models--owner--name/snapshots/<commit>/`.
 * Small files come first, so the total size is known before the weights start.
 */
import { existsSync, statSync, statfsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { AbortedError, InputError, UsageError } from "../errors.js";
import type { Logger } from "../util/logger.js";
import { downloadFile } from "./download-file.js";
import { HubClient, isRepoId, type HubFile } from "./hub-client.js";

export const REQUIRED_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json"];
export const OPTIONAL_FILES = ["generation_config.json", "special_tokens_map.json", "chat_template.jinja"];
const INDEX = "model.safetensors.index.json";

export interface PullPlan {
  repo: string;
  commit: string;
  files: HubFile[];
  totalBytes: number;
  /** Bytes that were already in the cache when this run started (finished files and partial downloads). */
  cachedBytes: number;
}

export interface PullProgress {
  file: string;
  /** Bytes on disk for the whole pull, cached ones included. */
  bytes: number;
  totalBytes: number;
  /** Bytes fetched in this run (for the rate and ETA). */
  downloaded: number;
  elapsedMs: number;
}

export interface PullRepoOptions {
  repo: string;
  revision?: string;
  /** Root of the download cache ($VPO_HOME/hub). */
  cacheDir: string;
  client?: HubClient;
  onPlan?: (plan: PullPlan) => void;
  onProgress?: (p: PullProgress) => void;
  logger?: Logger;
  signal?: AbortSignal;
  retries?: number;
  retryDelayMs?: number;
}

export interface PullRepoResult {
  dir: string;
  commit: string;
  files: string[];
  totalBytes: number;
  downloadedBytes: number;
  resumes: number;
}

export function snapshotDir(cacheDir: string, repo: string, commit: string): string {
  return join(cacheDir, `models--${repo.replace("/", "--")}`, "snapshots", commit);
}

function onDisk(path: string): number {
  if (existsSync(path)) return statSync(path).size;
  return existsSync(`${path}.incomplete`) ? statSync(`${path}.incomplete`).size : 0;
}

export async function pullRepo(options: PullRepoOptions): Promise<PullRepoResult> {
  const { repo } = options;
  if (!isRepoId(repo)) throw new UsageError(`"${repo}" is not a Hub repository id (owner/name)`);
  const client = options.client ?? new HubClient();
  const info = await client.repoInfo(repo, options.revision ?? "main", options.signal);
  const byPath = new Map(info.files.map((f) => [f.path, f]));
  const missing = REQUIRED_FILES.filter((f) => !byPath.has(f));
  if (missing.length) throw new InputError(`${repo} has no ${missing.join(", ")}: not a Hugging Face Transformers checkpoint vpo can convert`);
  const dir = snapshotDir(options.cacheDir, repo, info.commit);
  await mkdir(dir, { recursive: true });
  const started = Date.now();
  let downloaded = 0;
  let resumes = 0;
  let bytes = 0;
  let totalBytes = 0;

  const fetchFile = async (file: HubFile) => {
    if (options.signal?.aborted) throw new AbortedError("download cancelled");
    const result = await downloadFile({
      client, repo, commit: info.commit, file, dest: join(dir, file.path), signal: options.signal, retries: options.retries, retryDelayMs: options.retryDelayMs,
      onBytes: (delta) => {
        bytes += delta;
        if (delta > 0) downloaded += delta;
        options.onProgress?.({ file: file.path, bytes, totalBytes, downloaded, elapsedMs: Date.now() - started });
      },
    });
    resumes += result.resumes;
  };

  const small = [...REQUIRED_FILES, ...OPTIONAL_FILES, INDEX].filter((f) => byPath.has(f)).map((f) => byPath.get(f)!);
  let shards: string[];
  if (byPath.has(INDEX)) {
    await fetchFile(byPath.get(INDEX)!);
    const parsed = z.object({ weight_map: z.record(z.string(), z.string()) }).safeParse(JSON.parse(await readFile(join(dir, INDEX), "utf8")));
    if (!parsed.success) throw new InputError(`${repo}: ${INDEX} has no weight_map`);
    shards = [...new Set(Object.values(parsed.data.weight_map))].sort();
  } else if (byPath.has("model.safetensors")) shards = ["model.safetensors"];
  else throw new InputError(`${repo} has no safetensors weights (model.safetensors or ${INDEX})`);
  const absent = shards.filter((s) => !byPath.has(s));
  if (absent.length) throw new InputError(`${repo}: ${INDEX} names files the repository does not have: ${absent.join(", ")}`);

  const files = [...small, ...shards.map((s) => byPath.get(s)!)];
  totalBytes = files.reduce((a, f) => a + Math.max(0, f.size), 0);
  bytes = 0; // recount from disk: the index fetched above is counted once, with everything already cached
  for (const f of files) bytes += onDisk(join(dir, f.path));
  options.onPlan?.({ repo, commit: info.commit, files, totalBytes, cachedBytes: bytes - downloaded });
  checkFreeSpace(dir, totalBytes - bytes);

  for (const file of files) await fetchFile(file);
  await mkdir(join(options.cacheDir, `models--${repo.replace("/", "--")}`, "refs"), { recursive: true });
  await writeFile(join(options.cacheDir, `models--${repo.replace("/", "--")}`, "refs", (options.revision ?? "main").replace(/\//g, "--")), info.commit);
  return { dir, commit: info.commit, files: files.map((f) => f.path), totalBytes, downloadedBytes: downloaded, resumes };
}

function checkFreeSpace(dir: string, needed: number): void {
  let free: number;
  try {
    const fs = statfsSync(dir);
    free = fs.bavail * fs.bsize;
  } catch {
    return;
  }
  if (free < needed) throw new InputError(`${dir} has ${(free / 1e9).toFixed(1)} GB free; the download needs ${(needed / 1e9).toFixed(1)} GB more (set VPO_HOME to a bigger disk)`);
}
