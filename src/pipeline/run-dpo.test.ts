import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pipelineScript } from "../../test/fixtures/pipeline-script.js";
import { startScriptedServer, type ScriptedServer } from "../../test/fixtures/scripted-server.js";
import { writeStandIns } from "../../test/fixtures/stand-in-commands.js";
import { openHttpModel } from "../model/openai-compatible.js";
import { checklistScore, loadChecklist } from "../reward/checklist.js";
import { CommandRewardBackend } from "../reward/command-reward.js";
import { RewardCache } from "../reward/reward-cache.js";
import { dominates } from "../reward/select-video-pairs.js";
import { runStatus } from "../store/status.js";
import { CommandVideoBackend } from "../video/command-video.js";
import { VideoCache } from "../video/video-cache.js";
import type { PairDataRecord } from "./records.js";
import { runDpo, type DpoRunOptions } from "./run-dpo.js";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const checklist = loadChecklist();
const readPairs = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as PairDataRecord);

async function setup(queries: string[], extra: Partial<DpoRunOptions> = {}) {
  const root = mkdtempSync(join(tmpdir(), "vpo-dpo-"));
  const file = join(root, "queries.txt");
  writeFileSync(file, `${queries.join("\n")}\n`);
  server = await startScriptedServer({ script: pipelineScript() });
  const s = writeStandIns(join(root, "bin"));
  const model = await openHttpModel({ baseUrl: server.url, model: "m", retries: 0, concurrency: 4 });
  const cache = join(root, "out", "cache");
  const options: DpoRunOptions = {
    queries: file,
    out: join(root, "out"),
    policy: model,
    critic: { judge: model },
    video: new CommandVideoBackend({ command: s.videoCmd, cache: new VideoCache(cache), concurrency: 2, timeoutMs: 1500 }),
    reward: new CommandRewardBackend({ command: s.rewardCmd, checklist, cache: new RewardCache(cache), concurrency: 2 }),
    ...extra,
  };
  return { root, options, standIns: s };
}

describe("runDpo", () => {
  it("builds text and video pairs; failing video and reward commands and an unreadable judge become item failures with reasons", async () => {
    const { options } = await setup([
      "a red fox in the snow",
      "a knight in armour @1:blood",
      "a robot dancing @2:FAILVIDEO @3:GARBAGEREWARD @0:HANGVIDEO",
      "a sailing boat @0:NOJUDGE",
    ]);
    const summary = await runDpo(options);
    expect(summary.stopped).toBe(false);
    const pairs = readPairs(summary.pairsFile);
    const text = pairs.filter((p) => p.source === "text");
    expect(text).toHaveLength(1);
    expect(text[0]).toMatchObject({ query: "a knight in armour @1:blood", critique: "Remove the blood.", provenance: { candidate: 1, stage: "pairs", queryIndex: 1 } });
    expect(text[0]!.rejected).toContain("with blood");
    expect(text[0]!.chosen).toContain("with red paint");
    // A query with a text pair keeps only it (dedup by query).
    expect(pairs.filter((p) => p.query === "a knight in armour @1:blood")).toHaveLength(1);
    for (const pair of pairs.filter((p) => p.source === "video")) {
      const chosen = pair.answers!.chosen as ("yes" | "no")[];
      const rejected = pair.answers!.rejected as ("yes" | "no")[];
      expect(dominates(chosen, rejected)).toBe(true);
      expect(checklistScore(checklist, chosen) - checklistScore(checklist, rejected)).toBeGreaterThan(0.5);
      expect(pair.scores!.chosen).toBeCloseTo(checklistScore(checklist, chosen), 12);
    }
    const status = runStatus(options.out, { stageOrder: ["sample", "text-feedback", "video-feedback", "pairs"] });
    expect(status.stages.map((s) => [s.stage, s.done, s.failed, s.pending])).toEqual([
      ["sample", 4, 0, 0],
      ["text-feedback", 15, 1, 0],
      ["video-feedback", 11, 3, 0],
      ["pairs", 4, 0, 0],
    ]);
    const reasons = status.failures.map((f) => `${f.stage} ${f.step}: ${f.message}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        "video-feedback video: video command exited with code 3: CUDA out of memory while rendering",
        "video-feedback video: video command timed out after 1.5 s and was killed",
        expect.stringMatching(/^video-feedback reward: reward command printed no JSON object: "Traceback/),
        expect.stringMatching(/^text-feedback judge: /),
      ]),
    );
  });

  it("resumes without repeating finished work and retries failures on request", async () => {
    const { options, standIns } = await setup(["a cat @2:FAILREWARD", "a dog"]);
    const first = await runDpo(options);
    const requests = server!.chatRequests().length;
    const videos = readFileSync(standIns.videoLog, "utf8").split("\n").filter(Boolean).length;
    const again = await runDpo(options);
    expect(server!.chatRequests()).toHaveLength(requests);
    expect(readFileSync(standIns.videoLog, "utf8").split("\n").filter(Boolean)).toHaveLength(videos);
    expect(readFileSync(again.pairsFile, "utf8")).toBe(readFileSync(first.pairsFile, "utf8"));
    // The failed reward is retried; its video comes from the cache, not from a second render.
    const retried = await runDpo({ ...options, retryFailed: true });
    expect(retried.retried).toBe(1);
    expect(readFileSync(standIns.videoLog, "utf8").split("\n").filter(Boolean)).toHaveLength(videos);
    expect(readFileSync(standIns.rewardLog, "utf8").split("\n").filter((l) => l.length > 0).length).toBe(videos + 1);
  });
});
