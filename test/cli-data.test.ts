import Database from "better-sqlite3";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checklistScore, loadChecklist } from "../src/reward/checklist.js";
import { dominates } from "../src/reward/select-video-pairs.js";
import { pipelineScript } from "./fixtures/pipeline-script.js";
import { startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";
import { writeStandIns, type StandIns } from "./fixtures/stand-in-commands.js";
import { runCli, startCli } from "./helpers/cli.js";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const checklist = loadChecklist();
const tmp = () => mkdtempSync(join(tmpdir(), "vpo-data-"));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logLines = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : []);
const readJsonl = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** A record without what legitimately differs between two runs: run ids, timestamps, file paths. */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !["runId", "createdAt", "path", "baseUrl"].includes(k))
        .map(([k, v]) => [k, comparable(v)]),
    );
  }
  return value;
}

function dpoArgs(queries: string, out: string, s: StandIns, url: string): string[] {
  return [
    "data", "dpo", "--queries", queries, "--out", out,
    "--policy-base-url", url, "--policy-model", "policy", "--judge-base-url", url, "--judge-model", "judge",
    "--video-cmd", s.videoCmd, "--reward-cmd", s.rewardCmd, "--video-concurrency", "2", "--reward-concurrency", "2",
    "--judge-retries", "0", "--policy-retries", "0", "--seed", "11", "-q",
  ];
}

const QUERIES = [
  "a red fox leaping through fresh snow",
  "a knight in armour at dawn @1:blood",
  "two astronauts playing chess on the moon",
  "a lighthouse in a storm @3:blood",
  "a street market in Marrakech at dusk",
  "a hummingbird drinking from a flower",
  "a paper boat drifting down a rainy street",
  "an old man feeding pigeons in a park",
  "a glass of water tipping over in slow motion",
  "children flying kites on a windy hill @0:blood",
  "a city skyline timelapse from day to night",
  "a chef flipping pancakes in a busy kitchen",
];

describe("vpo data dpo", () => {
  it("killed -9 three times at random points, then finished, writes the pairs of an uninterrupted run and never runs a video or reward command twice for a candidate", async () => {
    server = await startScriptedServer({ script: pipelineScript(), latencyMs: 40 });
    const root = tmp();
    const queries = join(root, "queries.txt");
    writeFileSync(queries, `${QUERIES.join("\n")}\n`);

    // 48 candidates × 250 ms of video at concurrency 2: at least 6 s of work, more than three kills can interrupt.
    const clean = writeStandIns(join(root, "clean-bin"), { videoSleepMs: 250 });
    const reference = await runCli(dpoArgs(queries, join(root, "clean"), clean, server.url));
    expect(reference.stderr).toBe("");
    expect(reference.code).toBe(0);

    const killed = writeStandIns(join(root, "killed-bin"), { videoSleepMs: 250 });
    const out = join(root, "killed");
    const kills: number[] = [];
    for (let i = 0; i < 3; i++) {
      const run = startCli(dpoArgs(queries, out, killed, server.url));
      // Wait until this run has started a video of its own, so the kill lands on work in flight, then a random moment.
      const before = logLines(killed.videoLog).length;
      while (logLines(killed.videoLog).length === before && run.child.exitCode === null) await sleep(20);
      const delay = Math.floor(Math.random() * 600);
      await sleep(delay);
      run.child.kill("SIGKILL");
      const result = await run.done;
      kills.push(result.signal === "SIGKILL" ? delay : -1);
    }
    const final = await runCli(dpoArgs(queries, out, killed, server.url));
    expect(final.stderr).toBe("");
    expect(final.code).toBe(0);

    const expected = readJsonl(join(root, "clean", "pairs.jsonl"));
    const got = readJsonl(join(out, "pairs.jsonl"));
    expect(expected.length).toBeGreaterThan(2);
    expect(expected.some((p) => p.source === "text") && expected.some((p) => p.source === "video")).toBe(true);
    // The two runs' stand-in commands differ only in where they log; that is the test's setup, not a difference.
    const sameCommands = (records: Record<string, unknown>[]) => JSON.parse(JSON.stringify(records).replaceAll("killed-bin", "clean-bin")) as unknown[];
    expect(sameCommands(got).map(comparable)).toEqual(sameCommands(expected).map(comparable));

    // One line per invocation, naming the candidate's own job/video file: no candidate twice.
    const videoRuns = logLines(killed.videoLog).map((l) => l.split("\t")[0]!);
    const rewardRuns = logLines(killed.rewardLog);
    expect(new Set(videoRuns).size).toBe(videoRuns.length);
    expect(new Set(rewardRuns).size).toBe(rewardRuns.length);
    expect(videoRuns).toHaveLength(logLines(clean.videoLog).length);
    expect(rewardRuns).toHaveLength(logLines(clean.rewardLog).length);

    const status = JSON.parse((await runCli(["run", "status", out, "--json"])).stdout) as { stages: { stage: string; pending: number; running: number; failed: number }[]; sessions: { started: number } };
    expect(status.stages.every((s) => s.pending === 0 && s.running === 0 && s.failed === 0)).toBe(true);
    expect(status.sessions.started).toBe(4);
    expect(kills.filter((k) => k >= 0)).toHaveLength(3);
    // The kills hit work in flight: attempts were lost, and videos that outlived their vpo were collected, not rerun.
    const db = new Database(join(out, "run.sqlite"), { readonly: true });
    const lost = (db.prepare("SELECT count(*) AS n FROM attempts WHERE status = 'lost'").get() as { n: number }).n;
    const adopted = (db.prepare("SELECT count(*) AS n FROM items WHERE stage = 'video-feedback' AND json_extract(output, '$.video.adopted') = 1").get() as { n: number }).n;
    db.close();
    expect(lost).toBeGreaterThanOrEqual(3);
    expect(adopted).toBeGreaterThanOrEqual(1);
  }, 180_000);

  it("turns failing, hanging and file-less video commands and garbage rewards into item failures with reasons; the run completes and every video pair satisfies the rule", async () => {
    server = await startScriptedServer({ script: pipelineScript() });
    const root = tmp();
    const queries = join(root, "queries.txt");
    writeFileSync(queries, ["a dancing robot @0:FAILVIDEO @1:HANGVIDEO @2:NOFILEVIDEO @3:GARBAGEREWARD", ...QUERIES.slice(0, 4)].join("\n"));
    const s = writeStandIns(join(root, "bin"), { fast: true });
    const out = join(root, "out");
    const r = await runCli([...dpoArgs(queries, out, s, server.url), "--video-timeout", "3"]);
    expect(r.code).toBe(0);
    for (const pair of readJsonl(join(out, "pairs.jsonl")).filter((p) => p.source === "video")) {
      const answers = pair.answers as { chosen: ("yes" | "no")[]; rejected: ("yes" | "no")[] };
      expect(dominates(answers.chosen, answers.rejected)).toBe(true);
      expect(checklistScore(checklist, answers.chosen) - checklistScore(checklist, answers.rejected)).toBeGreaterThan(0.5);
    }
    const status = await runCli(["run", "status", out]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/video-feedback\s+\d+\s+4\s+0\s+0/);
    expect(status.stdout).toContain("1× video-feedback/video [backend]: video command exited with code 3: CUDA out of memory while rendering (e.g. 0/0)");
    expect(status.stdout).toContain("1× video-feedback/video [backend]: video command timed out after 3 s and was killed (e.g. 0/1)");
    expect(status.stdout).toContain("1× video-feedback/video [backend]: video command exited 0 but wrote no file at {output} (e.g. 0/2)");
    expect(status.stdout).toMatch(/1× video-feedback\/reward \[backend\]: reward command printed no JSON object: "Traceback.*\(e\.g\. 0\/3\)/);
    expect(status.stdout).toContain("--retry-failed");
    // The training exporter reads pairs.jsonl as written: one DPO row per pair.
    const pairs = readJsonl(join(out, "pairs.jsonl"));
    const exported = await runCli(["train", "export", "--engine", "trl", "--pairs", join(out, "pairs.jsonl"), "-o", join(root, "train"), "-q"]);
    expect(exported.code).toBe(0);
    expect(logLines(join(root, "train", "trl", "dpo", "train.jsonl"))).toHaveLength(pairs.length);
  }, 120_000);

  it("reads settings from --config (flags win) and names the file and line of an unknown setting", async () => {
    server = await startScriptedServer({ script: pipelineScript() });
    const root = tmp();
    const queries = join(root, "queries.txt");
    writeFileSync(queries, "a cat on a piano\n");
    const config = join(root, "pipeline.yaml");
    writeFileSync(config, `queries: ${queries}\nout: ${join(root, "out")}\npolicy:\n  base-url: ${server.url}\n  model: policy\njudge-base-url: ${server.url}\njudge-model: judge\ncandidates: 3\ntext-only: true\n`);
    const r = await runCli(["data", "dpo", "--config", config, "--candidates", "2", "-q", "--json"]);
    expect(r.stderr).toBe("");
    const summary = JSON.parse(r.stdout) as { progress: { stages: { stage: string; done: number }[] } };
    expect(summary.progress.stages.find((s) => s.stage === "text-feedback")!.done).toBe(2);
    expect(server.chatRequests()[0]!.body!.n).toBe(2);
    writeFileSync(config, `queries: ${queries}\nout: ${join(root, "out2")}\n\nvideo-comand: x\n`);
    const bad = await runCli(["data", "dpo", "--config", config]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${config}:4: unknown setting "video-comand"`);
  });
});

describe("vpo data sft", () => {
  it("writes s = p, or p_refined when the judge flags p, with critique, verdict and provenance; a re-run requests nothing", async () => {
    server = await startScriptedServer({ script: pipelineScript() });
    const root = tmp();
    const queries = join(root, "queries.jsonl");
    writeFileSync(queries, [JSON.stringify({ query: "a cat playing piano", id: "q1" }), JSON.stringify({ query: "a zombie gore scene" }), "{oops"].join("\n"));
    const out = join(root, "out");
    const args = ["data", "sft", "--queries", queries, "--out", out, "--teacher-base-url", server.url, "--teacher-model", "teacher", "--judge-base-url", server.url, "--judge-model", "judge", "-q"];
    const r = await runCli(args);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const records = readJsonl(join(out, "sft.jsonl"));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ id: "q1", query: "a cat playing piano", prompt: "A vivid scene of a cat playing piano, soft light, gentle camera push-in.", verdict: "aligned", refined: false, critique: "" });
    expect(records[1]).toMatchObject({ query: "a zombie gore scene", verdict: "unsafe", refined: true, critique: "Remove the blood." });
    expect(records[1]!.prompt).toContain("red paint");
    expect(records[1]!.teacherPrompt).toContain("blood");
    const provenance = records[0]!.provenance as Record<string, unknown>;
    expect(provenance).toMatchObject({ stage: "sft", queryIndex: 0, seed: 0, teacher: { id: "teacher" }, judge: { id: "judge" }, rubric: { name: "vpo-judge" }, demonstrations: { source: "builtin" } });
    expect(typeof provenance.runId).toBe("string");
    const exported = await runCli(["train", "export", "--engine", "trl", "--sft", join(out, "sft.jsonl"), "-o", join(root, "train"), "-q"]);
    expect(exported.code).toBe(0);
    expect(logLines(join(root, "train", "trl", "sft", "train.jsonl"))).toHaveLength(2);
    const teacherRequest = server.chatRequests()[0]!.body!;
    expect(teacherRequest.messages).toHaveLength(2 + 2 * 4);
    const requests = server.chatRequests().length;
    expect((await runCli(args)).code).toBe(0);
    expect(server.chatRequests()).toHaveLength(requests);
    const status = await runCli(["run", "status", out]);
    expect(status.stdout).toMatch(/sft\s+2\s+1\s+0\s+0/);
    expect(status.stdout).toContain(`${queries}:3: malformed JSON line`);
    // Fixing the broken line and re-running processes just that query.
    writeFileSync(queries, [JSON.stringify({ query: "a cat playing piano", id: "q1" }), JSON.stringify({ query: "a zombie gore scene" }), JSON.stringify({ query: "a red kite" })].join("\n"));
    expect((await runCli(args)).code).toBe(0);
    expect(readJsonl(join(out, "sft.jsonl")).map((r) => r.query)).toEqual(["a cat playing piano", "a zombie gore scene", "a red kite"]);
    expect(server.chatRequests()).toHaveLength(requests + 2);
    // Without -q, progress goes to stderr (a plain line off a terminal) and a summary follows.
    const shown = await runCli(args.filter((a) => a !== "-q"));
    expect(shown.stderr).toMatch(/^sft: queries 3\/3, [\d.]+\/s, ETA \S+ \| sft 3\/3$/m);
    expect(shown.stderr).toContain(`sft: 3 records (1 refined) in ${join(out, "sft.jsonl")}`);
  });
});
