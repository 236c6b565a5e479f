import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BenchReport } from "../src/eval/bench/bench-report.js";
import type { BenchRecord } from "../src/eval/bench/records.js";
import { loadSuite } from "../src/eval/bench/suite.js";
import { writeBenchStandIns } from "./fixtures/bench-stand-ins.js";
import { startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";
import { writeStandIns, type StandIns } from "./fixtures/stand-in-commands.js";
import { runCli, startCli } from "./helpers/cli.js";

let optimizer: ScriptedServer;
beforeAll(async () => {
  // The optimizer under test: the scripted server's default reply, a longer prompt around the query.
  optimizer = await startScriptedServer();
});
afterAll(() => optimizer.close());

const tmp = () => mkdtempSync(join(tmpdir(), "vpo-bench-"));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logLines = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : []);
const rows = (out: string) => logLines(join(out, "results.jsonl")).map((l) => JSON.parse(l) as BenchRecord);
const report = (out: string) => JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as BenchReport;
/** A report without what legitimately differs between two runs of the same work: when, how long, what came from a cache. */
const comparable = (r: BenchReport) => ({ ...r, generatedAt: undefined, costs: undefined, video: undefined, scorer: undefined });

function benchArgs(out: string, video: StandIns, rewardCmd: string, extra: string[] = []): string[] {
  return [
    "eval", "bench", "--suite", "vbench-all", "--limit", "50", "--seed", "3", "--out", out,
    "--system", "original", "--system", `vpo=--base-url ${optimizer.url} --model vpo --retries 0`,
    "--video-cmd", video.videoCmd, "--reward-cmd", rewardCmd, "--video-concurrency", "2", "--reward-concurrency", "2", "-q", ...extra,
  ];
}

describe("vpo eval bench", () => {
  it("original vs vpo on a 50-query VBench subset: per-column means with intervals, paired differences, categories; the scorer saw only the original query", async () => {
    const root = tmp();
    const video = writeStandIns(join(root, "bin"), { fast: true });
    const scorers = writeBenchStandIns(join(root, "scorers"));
    const out = join(root, "out");
    const r = await runCli(benchArgs(out, video, scorers.rewardCmd, ["--scorer-cmd", scorers.scorerCmd]));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\| system \| n \| Alignment \| Composition \| Stability \| Quality \| Preservation \| Dynamic \| Fidelity \| Physics \| overall \| vbench:human_action \|/);
    expect(r.stdout).toMatch(/\| original \| 50 \| \d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\] \|/);
    expect(r.stdout).toMatch(/\| vpo \| 50 \| [-+]\d\.\d{3} \[/);

    const results = rows(out);
    expect(results).toHaveLength(100);
    const rep = report(out);
    expect(rep.queries).toBe(50);
    expect(rep.categories).toEqual(["appearance-style", "human-action", "multiple-objects", "scene"]);
    const [original, vpo] = rep.systems;
    for (const s of [original!, vpo!]) {
      expect(s.scored).toBe(50);
      for (const c of rep.columns.filter((c) => !c.startsWith("vbench:"))) {
        expect(s.columns[c]!.n).toBe(50);
        expect(s.columns[c]!.low).toBeLessThanOrEqual(s.columns[c]!.mean);
        expect(s.columns[c]!.high).toBeGreaterThanOrEqual(s.columns[c]!.mean);
      }
    }
    // A longer prompt renders a bigger stand-in video, which the stand-in scorer likes better: vpo wins, clearly.
    expect(vpo!.vsBaseline!.overall!.low).toBeGreaterThan(0);
    expect(vpo!.columns.overall!.mean).toBeCloseTo(original!.columns.overall!.mean + vpo!.vsBaseline!.overall!.mean, 10);
    // The overall mean is the mean of the rows' VisionReward scores.
    const vpoRows = results.filter((x) => x.system === "vpo");
    expect(vpo!.columns.overall!.mean).toBeCloseTo(vpoRows.reduce((s, x) => s + x.reward!.score, 0) / 50, 10);
    // Per-category breakdown covers every category, and its n add up to the suite.
    expect(Object.keys(vpo!.byCategory).sort()).toEqual(rep.categories);
    expect(Object.values(vpo!.byCategory).reduce((n, c) => n + c.overall!.n, 0)).toBe(50);
    // VBench-style folder scorer: run once per system and dimension, over that dimension's videos only.
    expect(logLines(scorers.folderLog)).toHaveLength(8);
    const withHuman = results.filter((x) => x.categories.includes("human-action")).length / 2;
    expect(vpo!.columns["vbench:human_action"]!.n).toBe(withHuman);
    expect(loadSuite("vbench-human-action").items).toHaveLength(100);

    // The scorer received the ORIGINAL query, never the system's prompt, for every video it scored.
    const byVideo = new Map(results.map((x) => [x.video!.path, x]));
    const scored = logLines(scorers.scorerLog).map((l) => l.split("\t"));
    expect(scored.length).toBe(new Set(results.map((x) => x.video!.sha256)).size);
    for (const [videoPath, query, prompt] of scored) {
      const row = byVideo.get(videoPath!)!;
      expect(query).toBe(row.query);
      expect(prompt).toBe(row.query);
    }
    expect(vpoRows.every((x) => x.prompt !== x.query && x.prompt!.includes(x.query))).toBe(true);
    // The rows say where each video came from and what it scored.
    expect(vpoRows[0]).toMatchObject({ status: "ok", outcome: "scored", optimizer: { model: { id: "vpo" }, template: { name: "vpo" } }, video: { seed: 3 + vpoRows[0]!.queryIndex } });
    expect(vpoRows[0]!.reward!.answers).toHaveLength(64);

    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).not.toContain("<script");
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(rep.columns.length + 2);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("## Difference against original");
  }, 120_000);

  it("killed -9 midway and re-run, gives the report of an uninterrupted run and renders no video twice", async () => {
    const root = tmp();
    const scorers = writeBenchStandIns(join(root, "scorers"));
    const clean = writeStandIns(join(root, "clean-bin"), { fast: true, videoSleepMs: 60 });
    const reference = await runCli(benchArgs(join(root, "clean"), clean, scorers.rewardCmd));
    expect(reference.code).toBe(0);

    const killed = writeStandIns(join(root, "killed-bin"), { fast: true, videoSleepMs: 60 });
    const out = join(root, "killed");
    const run = startCli(benchArgs(out, killed, scorers.rewardCmd));
    // Kill once rows are being written: work is in flight (videos at concurrency 2) and some is finished.
    while (rows(out).length < 30 && run.child.exitCode === null) await sleep(20);
    run.child.kill("SIGKILL");
    const first = await run.done;
    expect(first.signal).toBe("SIGKILL");
    const before = rows(out).length;
    expect(before).toBeGreaterThanOrEqual(30);
    expect(before).toBeLessThan(100);

    const resumed = await runCli(benchArgs(out, killed, scorers.rewardCmd));
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(comparable(report(out))).toEqual(comparable(report(join(root, "clean"))));
    expect(resumed.stdout).toBe(reference.stdout);
    // One video-log line per render, naming that render's own file: none twice, and as many as the clean run.
    const renders = logLines(killed.videoLog).map((l) => l.split("\t")[0]!);
    expect(new Set(renders).size).toBe(renders.length);
    expect(renders).toHaveLength(logLines(clean.videoLog).length);
    // A second re-run has nothing left to do.
    const again = await runCli(benchArgs(out, killed, scorers.rewardCmd));
    expect(again.code).toBe(0);
    expect(logLines(killed.videoLog)).toHaveLength(renders.length);
  }, 180_000);

  it("refuses a re-run with other settings instead of mixing two runs, and explains a bad --system", async () => {
    const root = tmp();
    const video = writeStandIns(join(root, "bin"), { fast: true });
    const scorers = writeBenchStandIns(join(root, "scorers"));
    const out = join(root, "out");
    const args = ["eval", "bench", "--suite", "vbench-scene", "--limit", "3", "--out", out, "--system", "original", "--video-cmd", video.videoCmd, "--reward-cmd", scorers.rewardCmd, "-q"];
    expect((await runCli(args)).code).toBe(0);
    const other = await runCli([...args.slice(0, 5), "4", ...args.slice(6)]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("holds a run with other settings (limit differ)");
    const bad = await runCli([...args, "--system", "gpt=--base-url http://x --modle y"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--system gpt: unknown flag "--modle"');
  }, 60_000);
});
