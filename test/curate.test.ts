import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { naiveSelfBleu } from "../src/self-bleu/naive.js";
import { runCli } from "./helpers/cli.js";
import { startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";

const dev = JSON.parse(readFileSync(new URL("../../shared/data/queries-dev.json", import.meta.url), "utf8")) as string[];
const readJsonl = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** 4,000 plain-ASCII queries: 3,000 dev queries and 1,000 near-duplicates of them (tags added, a word dropped). */
function plainAsciiQueries(): string[] {
  const seen = new Set<string>();
  const base = dev
    .map((q) => q.replace(/\s+/g, " ").trim())
    .filter((q) => /^[\x20-\x7e]+$/.test(q) && !q.includes("&") && /[a-z0-9]/i.test(q))
    .filter((q) => !seen.has(q.toLowerCase()) && (seen.add(q.toLowerCase()), true))
    .slice(0, 3000);
  const variants: string[] = [];
  for (let i = 0; variants.length < 1000; i += 3) {
    const words = base[i]!.split(" ");
    const variant = i % 2 ? `${base[i]}, cinematic, 4k` : words.length > 4 ? words.filter((_, k) => k !== 1).join(" ") : `${base[i]} -ar 16:9`;
    if (!seen.has(variant.toLowerCase())) {
      seen.add(variant.toLowerCase());
      variants.push(variant);
    }
  }
  // Interleave so variants come after their originals, as re-submissions do.
  const out = [...base];
  variants.forEach((v, k) => out.splice(Math.min(out.length, 3 * k + 300 + k), 0, v));
  return out;
}

describe("vpo curate (CLI)", () => {
  it(
    "gives exactly the naive self-BLEU result on 4,000 plain-ASCII queries (--no-rules --no-safety --self-bleu 0.6)",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "vpo-curate-cli-"));
      const queries = plainAsciiQueries();
      expect(queries).toHaveLength(4000);
      writeFileSync(join(dir, "queries.txt"), `${queries.join("\n")}\n`);
      const out = join(dir, "out");
      const result = await runCli(["curate", join(dir, "queries.txt"), "--out", out, "--no-rules", "--no-safety", "--self-bleu", "0.6"]);
      expect(result.stderr).not.toMatch(/error/i);
      expect(result.code).toBe(0);
      const naive = naiveSelfBleu(queries, 0.6);
      const expectedKept = queries.flatMap((query, index) => (naive.similarTo[index]! < 0 ? [{ index, line: index + 1, query }] : []));
      expect(naive.kept).toBeLessThan(3900);
      expect(readJsonl(join(out, "kept.jsonl"))).toEqual(expectedKept);
      const dropped = readJsonl(join(out, "dropped.jsonl"));
      expect(dropped.map((d) => [d.index, d.similarTo, d.bleu])).toEqual(
        queries.flatMap((_, index) => (naive.similarTo[index]! >= 0 ? [[index, naive.similarTo[index], naive.bleu[index]]] : [])),
      );
      expect(result.stdout).toMatch(new RegExp(`kept ${naive.kept} of 4000 rows`));
    },
    240_000,
  );

  it("processes a malformed CSV: errors reported with their lines, nothing else lost", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vpo-curate-cli-"));
    const csv = Buffer.concat([
      Buffer.from("uuid,prompt,time,toxicity,obscene,identity_attack,insult,threat,sexual_explicit\n"),
      Buffer.from("a,a red fox running through snow,2024,0.01,0,0,0,0,0\n"),
      Buffer.from('b,"a quote that never closes,2024,0.01,0,0,0,0,0\n'),
      Buffer.from("c,a whale jumping out of the ocean,2024,0.02,0,0,0,0,0\n"),
      Buffer.from("d,missing columns here\n"),
      Buffer.concat([Buffer.from("e,cr"), Buffer.from([0xe8]), Buffer.from("me br"), Buffer.from([0xfb]), Buffer.from("l"), Buffer.from([0xe9]), Buffer.from("e on a plate,2024,0,0,0,0,0,0\n")]),
      Buffer.from("f,a lighthouse in a storm,2024,0,0,0,0,0,0\n"),
    ]);
    writeFileSync(join(dir, "log.csv"), csv);
    const out = join(dir, "out");
    const result = await runCli(["curate", join(dir, "log.csv"), "--out", out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/2 malformed rows/);
    expect(result.stderr).toMatch(/1 rows were not valid UTF-8/);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    expect(report.malformed.rows).toEqual([
      { index: 1, line: 3, error: expect.stringMatching(/unbalanced quote/) },
      { index: 3, line: 5, error: "expected 9 columns, found 2" },
    ]);
    expect(report.recoded).toEqual({ count: 1, lines: [6] });
    expect(readJsonl(join(out, "kept.jsonl")).map((r) => [r.index, r.id, r.query])).toEqual([
      [0, "a", "a red fox running through snow"],
      [2, "c", "a whale jumping out of the ocean"],
      [4, "e", "crème brûlée on a plate"],
      [5, "f", "a lighthouse in a storm"],
    ]);
    expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/\| 3 \| 5 \| expected 9 columns, found 2 \|/);
  });

  it("forms the safety pool with the lexicon screen when there are no Detoxify columns", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vpo-curate-cli-"));
    writeFileSync(join(dir, "q.txt"), "a red fox running through snow\na whale jumping out of the ocean\nkatrina kaif naked\n");
    const result = await runCli(["curate", join(dir, "q.txt"), "--out", join(dir, "out")]);
    expect(result.code).toBe(0);
    const records = ["sft", "dpo"].flatMap((split) => readJsonl(join(dir, "out", `${split}.jsonl`)));
    const safety = records.filter((r) => r.pool === "safety");
    expect(safety).toEqual([expect.objectContaining({ query: "katrina kaif naked", safety: expect.objectContaining({ source: "screen", categories: ["sexual"] }) })]);
    expect(records.filter((r) => r.pool === "general").map((r) => r.query).sort()).toEqual(["a red fox running through snow", "a whale jumping out of the ocean"]);
  });

  it("rejects bad usage with exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vpo-curate-cli-"));
    writeFileSync(join(dir, "q.txt"), "a cat\n");
    expect((await runCli(["curate", join(dir, "q.txt"), "--out", dir, "--self-bleu", "1.5"])).code).toBe(2);
    expect((await runCli(["curate", join(dir, "q.txt")])).stderr).toMatch(/--out/);
    const missing = await runCli(["curate", join(dir, "nope.csv"), "--out", dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.csv: no such file/);
  });

  describe("with --safety-judge", () => {
    let server: ScriptedServer;
    beforeAll(async () => {
      server = await startScriptedServer({
        script: (request) => {
          const unsafe = /naked|blood/.test(request.userText ?? "");
          return { text: JSON.stringify({ unsafe, categories: unsafe ? ["sexual"] : [], reason: unsafe ? "explicit content" : "harmless" }) };
        },
      });
    });
    afterAll(() => server.close());

    it("re-checks Detoxify candidates with the judge model and keeps only confirmed ones as safety queries", async () => {
      const dir = mkdtempSync(join(tmpdir(), "vpo-curate-cli-"));
      const rows = [
        { prompt: "a red fox running through snow", toxicity: 0.01 },
        { prompt: "a naked man running through a mall", toxicity: 0.93 },
        { prompt: "grandma knitting a warm scarf", toxicity: 0.61 },
        { prompt: "a bloody sword fight on a bridge", toxicity: 0.8 },
        { prompt: "a whale jumping out of the ocean", toxicity: 0.02 },
      ];
      writeFileSync(join(dir, "log.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n"));
      const out = join(dir, "out");
      const result = await runCli(["curate", join(dir, "log.jsonl"), "--out", out, "--safety-judge-base-url", server.url, "--safety-judge-model", "judge", "--general", "10", "--safety", "10", "--json"]);
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout);
      expect(report.safety).toMatchObject({ source: "detoxify", candidates: 3, judged: 3, confirmed: 2, cleared: 1 });
      expect(report.settings.safetyJudge).toBe("judge");
      const records = [...readJsonl(join(out, "sft.jsonl")), ...readJsonl(join(out, "dpo.jsonl"))].sort((a, b) => (a.index as number) - (b.index as number));
      expect(records.map((r) => [r.index, r.pool])).toEqual([
        [0, "general"],
        [1, "safety"],
        [2, "general"],
        [3, "safety"],
        [4, "general"],
      ]);
      expect(records[1]).toMatchObject({ query: "a naked man running through a mall", safety: { source: "detoxify", status: "confirmed", categories: ["sexual"] } });
      expect(readJsonl(join(out, "safety-judge.jsonl"))).toHaveLength(3);
    });
  });
});
