import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../util/files.js";
import { contentHash } from "../util/stable-json.js";
import type { RewardRequest, RewardResult } from "./types.js";

/**
 * Rewards by content hash of (scorer, checklist version, video bytes' sha256, query, prompt): `rewards/<key>.json`.
 * A re-run, or another run sharing the cache folder, never scores the same video for the same query twice.
 */
export class RewardCache {
  readonly rewardsDir: string;
  readonly jobsDir: string;

  constructor(readonly dir: string) {
    this.rewardsDir = resolve(dir, "rewards");
    this.jobsDir = resolve(dir, "jobs");
    mkdirSync(this.rewardsDir, { recursive: true });
    mkdirSync(this.jobsDir, { recursive: true });
  }

  /** `imageSha256`: the first frame a scorer that sees it was shown (absent otherwise, so other keys stay as they were). */
  key(scorerId: string, request: Pick<RewardRequest, "videoSha256" | "query" | "prompt">, imageSha256?: string): string {
    return contentHash({ scorer: scorerId, video: request.videoSha256, query: request.query, prompt: request.prompt, ...(imageSha256 ? { image: imageSha256 } : {}) });
  }

  /** Path prefix of the job files that score `key`. */
  jobBase(key: string): string {
    return join(this.jobsDir, `reward-${key}`);
  }

  lookup(key: string): RewardResult | undefined {
    const path = join(this.rewardsDir, `${key}.json`);
    if (!existsSync(path)) return undefined;
    const stored = JSON.parse(readFileSync(path, "utf8")) as RewardResult;
    return { ...stored, cached: true };
  }

  async store(key: string, reward: RewardResult): Promise<RewardResult> {
    const { cached: _cached, ...plain } = reward;
    await writeFileAtomic(join(this.rewardsDir, `${key}.json`), JSON.stringify(plain));
    return { ...plain, cached: false };
  }
}
