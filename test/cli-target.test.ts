/** The CLI with targets: `vpo targets`, `vpo optimize --target`, and `vpo data dpo --target wan2.1`. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { VPO_TEMPLATE_TEXT } from "../src/optimize/template.js";
import { pipelineScript } from "./fixtures/pipeline-script.js";
import { startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";
import { runCli } from "./helpers/cli.js";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const tmp = () => mkdtempSync(join(tmpdir(), "vpo-cli-target-"));

describe("vpo targets", () => {
  it("lists the shipped profiles as a table, and as JSON with their sources", async () => {
    const table = await runCli(["targets"]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split("\n");
    expect(lines[0]).toBe("| id | model | text encoder | tokens | languages | words | negative | aspect ratios | fps |");
    expect(lines).toHaveLength(2 + 9);
    expect(lines.find((l) => l.startsWith("| cogvideox |"))).toBe("| cogvideox | CogVideoX (2B, 5B) | google/t5-v1_1-xxl (t5) | 226 | en | 68–113 | — | 3:2 | 8 |");
    const json = JSON.parse((await runCli(["targets", "--json"])).stdout) as { id: string; sources: { url: string }[] }[];
    expect(json.find((p) => p.id === "wan2.1")!.sources.length).toBeGreaterThan(5);
  });

  it("names the known targets for an unknown one", async () => {
    const r = await runCli(["optimize", "--target", "sora", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "a cat"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown target "sora"; known targets: cogvideox, cogvideox1.5');
  });
});

describe("vpo optimize --target", () => {
  it("condenses an over-budget reply and reports its length", async () => {
    const long = Array.from({ length: 10 }, () => "A ginger cat plays a slow waltz on a grand piano in a sunlit loft while dust drifts.").join(" ");
    server = await startScriptedServer({ script: (req) => ({ text: String(req.body?.messages[0]?.content).startsWith("You shorten") ? "A ginger cat plays a waltz on a grand piano in a sunlit loft." : long }) });
    const r = await runCli(["optimize", "--target", "ltx", "--base-url", server.url, "--model", "m", "--retries", "0", "--json", "a cat plays piano -fps 24"]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { prompt: string; length: { tokens: number; budget: number; counted: string }; target: { id: string } };
    expect(result.prompt).toBe("A ginger cat plays a waltz on a grand piano in a sunlit loft.");
    expect(result.length).toMatchObject({ budget: 128, counted: "estimate", condensed: 1 });
    expect(result.length.tokens).toBeLessThanOrEqual(128);
    expect(result.target.id).toBe("ltx-video");
  });
});

describe("vpo data dpo --target wan2.1", () => {
  it("gives the policy the target's guide and records the target in every pair's provenance", async () => {
    server = await startScriptedServer({ script: pipelineScript() });
    const root = tmp();
    const queries = join(root, "queries.txt");
    writeFileSync(queries, "a red fox leaping through fresh snow\na knight in armour at dawn @1:blood\n");
    const out = join(root, "out");
    const r = await runCli(["data", "dpo", "--queries", queries, "--out", out, "--policy-base-url", server.url, "--policy-model", "policy", "--judge-base-url", server.url, "--judge-model", "judge", "--text-only", "--target", "wan2.1", "--judge-retries", "0", "--policy-retries", "0", "-q", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const policyRequests = server.chatRequests().filter((q) => q.body!.model === "policy");
    expect(policyRequests).toHaveLength(2);
    for (const req of policyRequests) {
      const [system, user] = req.body!.messages;
      expect(system!.role).toBe("system");
      expect(system!.content).toMatch(/^Write the prompt for Wan 2\.1 \(T2V-14B, T2V-1\.3B\)\.\nLength: 80–100 words, and never more than 512 tokens of its text encoder \(umt5-xxl\)/);
      expect(user!.content).toMatch(new RegExp(`^${VPO_TEMPLATE_TEXT.slice(0, 60).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    }
    const pairs = readFileSync(join(out, "pairs.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { provenance: { sample: { template: { name: string }; target: Record<string, unknown> } } });
    expect(pairs.length).toBeGreaterThan(0);
    for (const p of pairs) {
      expect(p.provenance.sample.template.name).toBe("vpo+wan2.1");
      expect(p.provenance.sample.target).toMatchObject({ id: "wan2.1", name: "Wan 2.1 (T2V-14B, T2V-1.3B)", budget: 512, counted: "estimate" });
    }
  }, 60_000);

  it("pairs a condensed candidate over an over-budget one (condensed ≻ candidate)", async () => {
    const script = pipelineScript();
    server = await startScriptedServer({ script: (req, nth) => (String(req.body?.messages[0]?.content).startsWith("You shorten") ? { text: "A fox leaps in snow." } : script(req, nth)) });
    const root = tmp();
    const queries = join(root, "queries.txt");
    writeFileSync(queries, "a red fox leaping through fresh snow\n");
    const out = join(root, "out");
    const r = await runCli(["data", "dpo", "--queries", queries, "--out", out, "--policy-base-url", server.url, "--policy-model", "policy", "--judge-base-url", server.url, "--judge-model", "judge", "--text-only", "--target", "wan2.1", "--target-budget", "20", "--pair-dedup", "none", "--judge-retries", "0", "--policy-retries", "0", "-q", "--json"]);
    expect(r.stderr).toBe("");
    const pairs = readFileSync(join(out, "pairs.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { chosen: string; rejected: string; source: string; critique: string; provenance: { judge: { target: { budget: number } } } });
    expect(pairs).toHaveLength(4);
    for (const p of pairs) {
      expect(p).toMatchObject({ source: "text", chosen: "A fox leaps in snow." });
      expect(p.critique).toMatch(/over the 20-token budget of Wan 2\.1 \(T2V-14B, T2V-1\.3B\) \(\d+ tokens, estimate\)/);
      expect(Math.ceil(p.rejected.length / 3) + 1).toBeGreaterThan(20);
      expect(p.provenance.judge.target.budget).toBe(20);
    }
  }, 60_000);
});
