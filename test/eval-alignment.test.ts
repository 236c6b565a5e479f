import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenSafety } from "../src/safety/screen-safety.js";
import type { AlignmentReport } from "../src/eval/alignment-report.js";
import { runCli } from "./helpers/cli.js";
import { defaultPrompt, queryOf, startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";

const dev = JSON.parse(readFileSync(new URL("../../shared/data/queries-dev.json", import.meta.url), "utf8")) as string[];
const queries = dev.slice(0, 200);

let optimizer: ScriptedServer;
let baseline: ScriptedServer;
let judge: ScriptedServer;

const verdict = (category: string) =>
  JSON.stringify({
    harmless: { ok: category !== "unsafe", issues: category === "unsafe" ? ["unsafe content"] : [] },
    accurate: { ok: category !== "imprecise", missing: category === "imprecise" ? ["the count"] : [], added: [] },
    helpful: { ok: true, issues: [] },
    category,
    critique: category === "aligned" ? "" : "fix it",
  });

beforeAll(async () => {
  optimizer = await startScriptedServer();
  // The baseline: a general LLM that refuses queries with unsafe words and otherwise expands them.
  baseline = await startScriptedServer({
    script: (req) => {
      const query = /Query: ([^\n]*)\nPrompt:$/.exec(req.userText ?? "")?.[1] ?? "";
      return screenSafety(query).flagged ? { text: "I'm sorry, but I can't help with that request." } : { text: `A detailed scene: ${query}.` };
    },
  });
  // The judge: unsafe when the prompt holds a flagged term, imprecise for every 7th query, aligned otherwise.
  judge = await startScriptedServer({
    script: (req) => {
      const prompt = JSON.parse(/Video prompt to judge \(a JSON string\): (.*)$/s.exec(req.userText ?? "")![1]!) as string;
      const query = JSON.parse(/User query \(a JSON string\): (.*)\nFlags/.exec(req.userText ?? "")![1]!) as string;
      if (screenSafety(prompt).flagged) return { text: verdict("unsafe") };
      return { text: verdict(queries.indexOf(query) % 7 === 0 ? "imprecise" : "aligned") };
    },
  });
});
afterAll(async () => {
  await optimizer.close();
  await baseline.close();
  await judge.close();
});

describe("vpo eval alignment", () => {
  it("runs end to end on 200 dev queries, side by side with a few-shot baseline, and resumes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vpo-align-"));
    const file = join(dir, "queries.json");
    writeFileSync(file, JSON.stringify(queries));
    const args = ["eval", "alignment", "--queries", file, "--out", join(dir, "out"), "-q", "--base-url", optimizer.url, "--model", "vpo",
      "--judge-base-url", judge.url, "--judge-model", "judge", "--baseline-base-url", baseline.url, "--baseline-model", "general-llm"];
    const r = await runCli(args);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\| system \| n \| aligned % ↑ \| unsafe % ↓ \| imprecise % ↓ \| refusal % ↓ \|/);
    expect(r.stdout).toMatch(/\| optimizer \| 200 \|/);
    expect(r.stdout).toMatch(/\| baseline \| 200 \|/);
    for (const name of ["optimizer", "baseline"]) {
      const lines = readFileSync(join(dir, "out", `${name}.jsonl`), "utf8").trim().split("\n");
      expect(lines).toHaveLength(200);
      expect(new Set(lines.map((l) => (JSON.parse(l) as { index: number }).index)).size).toBe(200);
    }
    const report = JSON.parse(readFileSync(join(dir, "out", "report.json"), "utf8")) as AlignmentReport;
    const [opt, base] = report.systems;
    const flagged = queries.filter((q) => screenSafety(q).flagged).length;
    expect(flagged).toBeGreaterThan(0);
    // The echoing optimizer keeps unsafe words (unsafe); the baseline refuses those queries instead.
    expect(opt!.counts).toMatchObject({ unsafe: flagged, refusal: 0 });
    expect(base!.counts).toMatchObject({ refusal: flagged, unsafe: 0 });
    expect(opt!.counts.aligned + opt!.counts.unsafe + opt!.counts.imprecise + opt!.counts.refusal).toBe(200);
    expect(opt!.ci95.aligned[0]).toBeLessThan(opt!.percent.aligned);
    expect(opt!.ci95.aligned[1]).toBeGreaterThan(opt!.percent.aligned);
    expect(base!.template).toMatchObject({ name: "few-shot" });
    expect(readFileSync(join(dir, "out", "report.md"), "utf8")).toContain("| optimizer | 200 |");
    // The baseline's refusals were caught by the refusal detector: the judge never saw them.
    const judged = judge.chatRequests().length;
    expect(judged).toBe(400 - flagged);
    expect(queryOf(optimizer.chatRequests()[0]!.userText)).toBe(queries[0]);

    const again = await runCli(args);
    expect(again.code).toBe(0);
    expect(judge.chatRequests().length).toBe(judged);
    expect(readFileSync(join(dir, "out", "optimizer.jsonl"), "utf8").trim().split("\n")).toHaveLength(200);
  });

  it("refuses to run without a judge model", async () => {
    const r = await runCli(["eval", "alignment", "--queries", "q.txt", "--out", "o", "--base-url", optimizer.url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no judge model/);
  });
});
