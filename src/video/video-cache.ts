import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { rename, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { sha256File, writeFileAtomic } from "../util/files.js";
import { contentHash } from "../util/stable-json.js";
import type { VideoResult } from "./types.js";

interface Sidecar {
  sha256: string;
  bytes: number;
  file: string;
  backend: string;
  createdAt: string;
}

/**
 * Videos by content hash of their request: `videos/<key>.<ext>` plus `videos/<key>.json` (sha256, size), written
 * last as the commit marker. Jobs in flight are `jobs/video-<key>.*` files. Shareable between runs (--cache-dir).
 */
export class VideoCache {
  readonly videosDir: string;
  readonly jobsDir: string;

  constructor(readonly dir: string) {
    this.videosDir = resolve(dir, "videos");
    this.jobsDir = resolve(dir, "jobs");
    mkdirSync(this.videosDir, { recursive: true });
    mkdirSync(this.jobsDir, { recursive: true });
  }

  key(backendId: string, request: { prompt: string; query: string; seed: number }): string {
    return contentHash({ backend: backendId, prompt: request.prompt, query: request.query, seed: request.seed });
  }

  /** Path prefix of the job files that render `key`. */
  jobBase(key: string): string {
    return join(this.jobsDir, `video-${key}`);
  }

  lookup(key: string): VideoResult | undefined {
    const sidecarPath = join(this.videosDir, `${key}.json`);
    if (!existsSync(sidecarPath)) return undefined;
    const sidecar = JSON.parse(readFileSync(sidecarPath, "utf8")) as Sidecar;
    const path = join(this.videosDir, sidecar.file);
    if (!existsSync(path)) return undefined;
    return { path, sha256: sidecar.sha256, bytes: sidecar.bytes, key, cached: true };
  }

  /** A video moved in but not yet marked (a crash between the two steps): finish installing it. */
  async recover(key: string, extension: string, backendId: string): Promise<VideoResult | undefined> {
    const path = join(this.videosDir, `${key}.${extension}`);
    if (!existsSync(path)) return undefined;
    return { ...(await this.mark(key, path, backendId)), cached: true };
  }

  /** The cached video for a key, including one a crash left moved in but unmarked. */
  async find(key: string, extension: string, backendId: string): Promise<VideoResult | undefined> {
    return this.lookup(key) ?? (await this.recover(key, extension, backendId));
  }

  /** Moves a finished file into the cache (same file system: atomic rename) and marks it. */
  async install(key: string, file: string, extension: string, backendId: string): Promise<VideoResult> {
    const path = join(this.videosDir, `${key}.${extension}`);
    await rename(file, path);
    return this.mark(key, path, backendId);
  }

  private async mark(key: string, path: string, backendId: string): Promise<VideoResult> {
    const sha256 = await sha256File(path);
    const bytes = (await stat(path)).size;
    const sidecar: Sidecar = { sha256, bytes, file: `${key}.${path.split(".").pop()}`, backend: backendId, createdAt: new Date().toISOString() };
    await writeFileAtomic(join(this.videosDir, `${key}.json`), JSON.stringify(sidecar));
    return { path, sha256, bytes, key, cached: false };
  }
}
