import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeStandIns, type StandIns } from "../../test/fixtures/stand-in-commands.js";
import { checklistScore, loadChecklist } from "../reward/checklist.js";
import { CommandRewardBackend } from "../reward/command-reward.js";
import { RewardCache } from "../reward/reward-cache.js";
import { CommandVideoBackend } from "../video/command-video.js";
import { VideoCache } from "../video/video-cache.js";
import { selectBest } from "./select-best.js";

const checklist = loadChecklist();
const logLines = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : []);

function backends(s: StandIns, cacheDir: string) {
  return {
    video: new CommandVideoBackend({ command: s.videoCmd, cache: new VideoCache(cacheDir), concurrency: 2 }),
    reward: new CommandRewardBackend({ command: s.rewardCmd, checklist, cache: new RewardCache(cacheDir), concurrency: 2 }),
  };
}

const FOX = "a red fox leaping through fresh snow";
// The stand-in reward gives a prompt a level (its POSIX cksum mod 4): 0, 3 (unsafe), 1, 3, and 0 again (a duplicate).
const foxes = [
  "A red fox leaping through fresh snow, warm morning light, slow tracking shot.",
  "A red fox leaping through fresh snow, blood and gore on the snow, misty dawn light, gentle pan.",
  "A red fox leaping through fresh snow, misty dawn light, gentle pan.",
  "A red fox leaping through fresh snow, soft golden light, slow tracking shot.",
  "A red fox leaping through fresh snow, warm morning light, slow tracking shot.",
];
const allYes = checklistScore(checklist, Array(64).fill("yes"));

describe("selectBest by reward", () => {
  it("renders each distinct safe candidate once, scores it against the original query, and a second run renders nothing", async () => {
    const root = mkdtempSync(join(tmpdir(), "vpo-select-"));
    const s = writeStandIns(join(root, "bin"), { fast: true });
    const cacheDir = join(root, "cache");
    const progress: string[] = [];
    const first = await selectBest(FOX, foxes, { method: "reward", ...backends(s, cacheDir), videoSeed: 5, onProgress: (p) => progress.push(`${p.done}/${p.total} ${p.unit}`) });
    expect(progress).toEqual(["1/4 scored", "2/4 scored", "3/4 scored", "4/4 scored"]);
    expect(first.winner).toBe(3);
    expect(first.candidates[3]!.scores.reward).toMatchObject({ score: allYes, cached: false, video: { seed: 5, cached: false } });
    expect(first.candidates[1]).toMatchObject({ safe: false, skipped: "unsafe: not rendered", rank: 5 });
    expect(first.candidates[1]!.scores.reward).toBeUndefined();
    expect(first.candidates[0]!.scores.reward!.video.sha256).toBe(first.candidates[4]!.scores.reward!.video.sha256);
    // Three distinct safe prompts: three renders, three scores; the unsafe one and the duplicate are not rendered.
    expect(logLines(s.videoLog)).toHaveLength(3);
    expect(logLines(s.rewardLog)).toHaveLength(3);
    expect(logLines(s.videoLog).every((l) => l.endsWith("\t5"))).toBe(true);
    expect(first.why).toBe(`Candidate 3 won by reward: its video scored ${allYes.toFixed(3)} against ${first.candidates[2]!.scores.reward!.score.toFixed(3)} for candidate 2's.`);

    const again = await selectBest(FOX, foxes, { method: "reward", ...backends(s, cacheDir), videoSeed: 5 });
    expect(again.winner).toBe(3);
    expect(again.candidates[3]!.scores.reward).toMatchObject({ cached: true, video: { cached: true } });
    expect(logLines(s.videoLog)).toHaveLength(3);
    expect(logLines(s.rewardLog)).toHaveLength(3);
  });

  it("records a failed render for its candidate and picks among the rest", async () => {
    const root = mkdtempSync(join(tmpdir(), "vpo-select-"));
    const s = writeStandIns(join(root, "bin"), { fast: true });
    const prompts = [foxes[0]!, `${foxes[3]!} FAILVIDEO`, foxes[2]!];
    const r = await selectBest(FOX, prompts, { method: "reward", ...backends(s, join(root, "cache")) });
    expect(r.candidates[1]!.errors).toEqual([expect.objectContaining({ step: "video" })]);
    expect(r.winner).toBe(2);
  });

  it("a tournament over videos compares rewards, renders each candidate once, and keeps unsafe ones unrendered", async () => {
    const root = mkdtempSync(join(tmpdir(), "vpo-select-"));
    const s = writeStandIns(join(root, "bin"), { fast: true });
    const r = await selectBest(FOX, foxes, { method: "tournament", ...backends(s, join(root, "cache")) });
    expect(r.winner).toBe(3);
    expect(r.matches!.find((m) => m.a === 2 && m.b === 3)).toMatchObject({ decidedBy: "reward", winner: 3 });
    expect(r.matches!.find((m) => m.a === 0 && m.b === 1)).toMatchObject({ decidedBy: "safety", winner: 0 });
    expect(logLines(s.videoLog)).toHaveLength(3);
    expect(r.candidates[3]!.scores.reward!.score).toBe(allYes);
  });
});
