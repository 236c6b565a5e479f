import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeStandIns } from "../../test/fixtures/stand-in-commands.js";
import { CommandRewardBackend } from "../reward/command-reward.js";
import { loadChecklist } from "../reward/checklist.js";
import { RewardCache } from "../reward/reward-cache.js";
import { CommandVideoBackend } from "./command-video.js";
import { VideoCache } from "./video-cache.js";

const lines = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : []);

describe("identical requests in flight at once", () => {
  it("render one video and score it once, and every caller gets the result", async () => {
    const root = mkdtempSync(join(tmpdir(), "vpo-flight-"));
    const s = writeStandIns(join(root, "bin"), { fast: true, videoSleepMs: 100 });
    const video = new CommandVideoBackend({ command: s.videoCmd, cache: new VideoCache(join(root, "cache")), concurrency: 4 });
    const request = { prompt: "a red fox", query: "fox", seed: 1 };
    const videos = await Promise.all([video.generate(request), video.generate(request), video.generate(request)]);
    expect(new Set(videos.map((v) => v.path)).size).toBe(1);
    expect(lines(s.videoLog)).toHaveLength(1);
    const reward = new CommandRewardBackend({ command: s.rewardCmd, checklist: loadChecklist(), cache: new RewardCache(join(root, "cache")), concurrency: 4 });
    const ask = { videoPath: videos[0]!.path, videoSha256: videos[0]!.sha256, query: "fox", prompt: "fox" };
    const scores = await Promise.all([reward.score(ask), reward.score(ask)]);
    expect(scores[0]!.score).toBe(scores[1]!.score);
    expect(lines(s.rewardLog)).toHaveLength(1);
  });
});
