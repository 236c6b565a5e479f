import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pipelineScript, policyCandidate } from "./fixtures/pipeline-script.js";
import { startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";
import { writeStandIns } from "./fixtures/stand-in-commands.js";
import { runCli } from "./helpers/cli.js";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const tmp = () => mkdtempSync(join(tmpdir(), "vpo-select-cli-"));
const logLines = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : []);
const QUERY = "a red fox leaping through fresh snow";

interface SelectionJson {
  prompt: string;
  candidates: { prompt: string }[];
  selection: { method: string; winner: number; prompt: string; why: string; candidates: { prompt: string; rank: number; scores: { reward?: { score: number } } }[] };
}

describe("vpo optimize --select", () => {
  it("reward: renders each of the K candidates once, prints the winner, and a later `vpo data dpo` reuses every video", async () => {
    server = await startScriptedServer({ script: pipelineScript() });
    const root = tmp();
    const s = writeStandIns(join(root, "bin"), { fast: true });
    const cache = join(root, "cache");
    const backendArgs = ["--video-cmd", s.videoCmd, "--reward-cmd", s.rewardCmd, "--cache-dir", cache];
    const args = ["optimize", QUERY, "-n", "4", "--seed", "11", "--select", "reward", "--base-url", server.url, "--model", "vpo", ...backendArgs];

    const r = await runCli([...args, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as SelectionJson;
    const prompts = [11, 12, 13, 14].map((seed) => policyCandidate(QUERY, seed, 0));
    expect(result.candidates.map((c) => c.prompt)).toEqual(prompts);
    expect(result.selection.method).toBe("reward");
    expect(result.prompt).toBe(result.selection.prompt);
    const scores = result.selection.candidates.map((c) => c.scores.reward!.score);
    expect(scores[result.selection.winner]).toBe(Math.max(...scores));
    expect(result.selection.candidates[result.selection.winner]!.rank).toBe(1);
    expect(logLines(s.videoLog)).toHaveLength(4);
    expect(logLines(s.rewardLog)).toHaveLength(4);

    const plain = await runCli(args);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe(`${result.prompt}\n`);
    expect(plain.stderr).toContain(`Candidate ${result.selection.winner} won by reward`);
    expect(logLines(s.videoLog)).toHaveLength(4);

    // The DPO pipeline samples the same four prompts for this query (seed 11, video seed 0) and finds their videos cached.
    const queries = join(root, "queries.txt");
    writeFileSync(queries, `${QUERY}\n`);
    const dpo = await runCli([
      "data", "dpo", "--queries", queries, "--out", join(root, "dpo"), "--candidates", "4", "--seed", "11",
      "--policy-base-url", server.url, "--policy-model", "vpo", "--judge-base-url", server.url, "--judge-model", "judge", ...backendArgs, "-q", "--json",
    ]);
    expect(dpo.stderr).toBe("");
    expect(dpo.code).toBe(0);
    const summary = JSON.parse(dpo.stdout) as { progress: { stages: { stage: string; done: number }[] }; pairs: { video: number } };
    expect(summary.progress.stages.find((st) => st.stage === "video-feedback")!.done).toBe(4);
    expect(logLines(s.videoLog)).toHaveLength(4);
    expect(logLines(s.rewardLog)).toHaveLength(4);
  });

  it("judge and tournament need a judge model; --select refuses --guard and batch mode", async () => {
    const judge = await runCli(["optimize", QUERY, "-n", "2", "--select", "judge", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"]);
    expect(judge.code).toBe(2);
    expect(judge.stderr).toMatch(/--select judge needs a judge/);
    const tournament = await runCli(["optimize", QUERY, "-n", "2", "--select", "tournament", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"]);
    expect(tournament.stderr).toMatch(/--select tournament needs a judge/);
    const reward = await runCli(["optimize", QUERY, "-n", "2", "--select", "reward", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"]);
    expect(reward.code).toBe(2);
    expect(reward.stderr).toMatch(/--select reward needs a video backend .* and a reward backend/);
    const guard = await runCli(["optimize", QUERY, "-n", "2", "--select", "checks", "--guard", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"]);
    expect(guard.stderr).toMatch(/--select picks among the -n candidates of one query/);
    const bad = await runCli(["optimize", QUERY, "--select", "vibes", "--base-url", "http://127.0.0.1:9/v1", "--model", "m"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/checks, judge, reward, tournament/);
  });

  it("checks and judge pick by the principles and say why", async () => {
    // A judge that finds the close-up most helpful; the optimizer answers each seed with its own candidate.
    server = await startScriptedServer({
      script: (req) => {
        if (String(req.body!.messages[0]!.content).startsWith("You score video prompts")) {
          const helpful = req.userText!.includes("close-up") ? 5 : 3;
          return { text: JSON.stringify({ harmless: { score: 5, reason: "" }, accurate: { score: 5, reason: "" }, helpful: { score: helpful, reason: "" } }) };
        }
        return { text: policyCandidate(QUERY, Number(req.body!.seed), 0) };
      },
    });
    const base = ["optimize", QUERY, "-n", "3", "--seed", "0", "--base-url", server.url, "--model", "vpo", "--json"];
    const byJudge = JSON.parse((await runCli([...base, "--select", "judge", "--judge-base-url", server.url, "--judge-model", "judge"])).stdout) as SelectionJson;
    expect(byJudge.prompt).toBe(policyCandidate(QUERY, 1, 0));
    expect(byJudge.prompt).toContain("close-up");
    expect(byJudge.selection.why).toMatch(/^Candidate 1 won by judge: the judge scored it 15\/15/);
    const byChecks = JSON.parse((await runCli([...base, "--select", "checks"])).stdout) as SelectionJson;
    expect(byChecks.selection.method).toBe("checks");
    expect(byChecks.selection.candidates).toHaveLength(3);
  });
});
