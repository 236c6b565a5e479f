import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BenchReport } from "../src/eval/bench/bench-report.js";
import type { BenchRecord } from "../src/eval/bench/records.js";
import { writeBenchStandIns } from "./fixtures/bench-stand-ins.js";
import { queryOf, startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";
import { writeStandIns } from "./fixtures/stand-in-commands.js";
import { runCli } from "./helpers/cli.js";

const SUFFIX = ", detailed";
/** How often the stand-in optimizer still adds detail to a query before it leaves the prompt as it is. */
const cap = (base: string) => base.length % 4;
const baseOf = (text: string) => text.split(SUFFIX)[0]!;
const lines = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : []);

let optimizer: ScriptedServer;
beforeAll(async () => {
  optimizer = await startScriptedServer({
    script: (req) => {
      const input = queryOf(req.userText);
      const added = input.split(SUFFIX).length - 1;
      return { text: added < cap(baseOf(input)) ? `${input}${SUFFIX}` : input };
    },
  });
});
afterAll(() => optimizer.close());

describe("vpo eval iterative", () => {
  it("scores every re-optimization step against the original query, counts early stops, and renders a repeated prompt once", async () => {
    const root = mkdtempSync(join(tmpdir(), "vpo-iter-"));
    const video = writeStandIns(join(root, "bin"), { fast: true });
    const scorers = writeBenchStandIns(join(root, "scorers"));
    const out = join(root, "out");
    const r = await runCli([
      "eval", "iterative", "--suite", "vbench-scene", "--limit", "12", "--iterations", "4", "--out", out,
      "--system", `vpo=--base-url ${optimizer.url} --model vpo`, "--video-cmd", video.videoCmd, "--reward-cmd", scorers.rewardCmd,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\| original \| 12 \|[\s\S]*\| iteration-1 \| 12 \|[\s\S]*\| iteration-4 \| 12 \|/);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as BenchReport;
    expect(report.kind).toBe("iterative");
    expect(report.systems.map((s) => s.name)).toEqual(["original", "iteration-1", "iteration-2", "iteration-3", "iteration-4"]);
    const rows = lines(join(out, "results.jsonl")).map((l) => JSON.parse(l) as BenchRecord);
    const queries = [...new Set(rows.map((x) => x.query))];
    expect(queries).toHaveLength(12);
    // A query whose optimizer stops adding detail after c < 3 steps stops early, at step c + 1 (or 2 when c = 0).
    const expectedStops: Record<string, number> = {};
    for (const q of queries) if (cap(q) < 3) expectedStops[Math.max(2, cap(q) + 1)] = (expectedStops[Math.max(2, cap(q) + 1)] ?? 0) + 1;
    expect(report.iterative).toEqual({ iterations: 4, optimized: 12, earlyStopped: queries.filter((q) => cap(q) < 3).length, stoppedAt: expectedStops });
    expect(r.stderr).toContain(`early stop: ${report.iterative!.earlyStopped} of 12 queries`);
    for (const q of queries) {
      for (let k = 1; k <= 4; k++) expect(rows.find((x) => x.query === q && x.system === `iteration-${k}`)!.prompt).toBe(q + SUFFIX.repeat(Math.min(k, cap(q))));
    }
    // More detail, bigger stand-in video, higher score: the curve rises and then stays.
    const means = report.systems.map((s) => s.columns.overall!.mean);
    for (let i = 1; i < means.length; i++) expect(means[i]).toBeGreaterThanOrEqual(means[i - 1]!);
    expect(report.systems[1]!.vsBaseline!.overall!.mean).toBeGreaterThan(0);
    // One render per distinct prompt: a step that repeats its prompt reuses the video.
    const distinct = new Set(rows.map((x) => `${x.queryIndex}|${x.prompt}`)).size;
    expect(lines(video.videoLog)).toHaveLength(distinct);
    expect(lines(scorers.scorerLog).every((l) => { const [, query, prompt] = l.split("\t"); return query === prompt && queries.includes(query!); })).toBe(true);
    expect(readFileSync(join(out, "report.md"), "utf8")).toContain("Early stop:");
  }, 120_000);

  it("takes exactly one optimizer", async () => {
    const r = await runCli(["eval", "iterative", "--suite", "vbench-scene", "--out", join(tmpdir(), "vpo-iter-x"), "--system", "original", "--video-cmd", "true {output}", "--reward-cmd", "true {video}"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("iterative takes one optimizer");
  });
});
