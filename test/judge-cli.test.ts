import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";
import { startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";

const unsafe = { harmless: { ok: false, issues: ["nudity"] }, accurate: { ok: true, missing: [], added: [] }, helpful: { ok: true, issues: [] }, category: "unsafe", critique: "Remove the nudity." };
let judge: ScriptedServer;
beforeAll(async () => {
  judge = await startScriptedServer({ script: () => ({ text: JSON.stringify(unsafe) }) });
});
afterAll(() => judge.close());
const flags = () => ["--judge-base-url", judge.url, "--judge-model", "judge", "--judge-retries", "0"];

describe("vpo judge", () => {
  it("prints the category and what to fix", async () => {
    const r = await runCli(["judge", "a naked woman", "A naked woman on a beach.", ...flags()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("unsafe\nunsafe: nudity\ncritique: Remove the nudity.\n");
  });

  it("prints the whole auditable result with --json", async () => {
    const r = await runCli(["judge", "a naked woman", "A naked woman on a beach.", "--json", ...flags()]);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "ok", verdict: unsafe, raw: JSON.stringify(unsafe), rubric: { name: "vpo-judge" } });
  });

  it("exits 1 when the judge's reply holds no verdict", async () => {
    judge.setScript(() => ({ text: "hmm" }));
    const r = await runCli(["judge", "q", "p", ...flags()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/judge failed: .*no verdict/);
    judge.setScript(() => ({ text: JSON.stringify(unsafe) }));
  });

  it("judges a pairs file into a resumable JSONL, naming a line without a prompt", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vpo-judge-"));
    const input = join(dir, "pairs.jsonl");
    writeFileSync(input, `${JSON.stringify({ query: "a", prompt: "A." })}\n${JSON.stringify({ query: "b" })}\n${JSON.stringify({ query: "c", prompt: "C." })}\n`);
    const out = join(dir, "out.jsonl");
    const r = await runCli(["judge", "--input", input, "--output", out, "-q", ...flags()]);
    expect(r.code).toBe(1);
    const records = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { index: number; status: string; error?: { message: string } });
    expect(records.sort((a, b) => a.index - b.index).map((x) => x.status)).toEqual(["ok", "failed", "ok"]);
    expect(records[1]!.error!.message).toMatch(/pairs\.jsonl:2: item 1 has no string "prompt" field/);
    const before = judge.chatRequests().length;
    await runCli(["judge", "--input", input, "--output", out, "-q", ...flags()]);
    expect(judge.chatRequests().length).toBe(before);
  });

  it("asks for a judge model", async () => {
    const r = await runCli(["judge", "q", "p"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no judge model/);
  });
});
