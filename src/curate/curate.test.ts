import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { curate } from "./curate.js";
import { defaultCurateConfig } from "./rules/config.js";

const readJsonl = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const HEADER = "uuid,prompt,time,toxicity,obscene,identity_attack,insult,threat,sexual_explicit";

describe("curate", () => {
  it("runs every step on a VidProM CSV and accounts for every row", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vpo-curate-"));
    const rows = [
      "u0,a cat playing piano in a jazz bar,2024,0.01,0,0,0,0,0",
      "u1,A cat playing piano in a  jazz bar,2024,0.01,0,0,0,0,0", // duplicate of 0 (case, spaces)
      "u2,a cat playing the piano in a jazz bar,2024,0.01,0,0,0,0,0", // near-duplicate of 0
      "u3,cat,2024,0.01,0,0,0,0,0", // too few words
      "u4,a naked woman dancing on a table,2024,0.9,0.8,0,0,0,0.95", // safety candidate
      'u5,"broken quote,2024,0,0,0,0,0,0',
      "u6,!!! ???,2024,0,0,0,0,0,0", // empty after normalisation
      "u7,an astronaut riding a horse on the moon &amp; stars,2024,0,0,0,0,0,0",
      "u8,Sure&#44; here is a prompt: a dog on a skateboard,2024,0,0,0,0,0,0",
      "u9,a bloody fight between two knights,2024,0.7,0,0,0.6,0.5,0",
      "u10,a lighthouse in a storm at night,2024,0,0,0,0,0,0",
    ];
    const input = join(dir, "vidprom.csv");
    writeFileSync(input, `${HEADER}\n${rows.join("\n")}\n`);
    const config = defaultCurateConfig();
    config.sampling = { general: 2, safety: 2, sftShare: 0.5, seed: 1 };
    const out = join(dir, "out");
    const report = await curate({ input, outDir: out, config });

    expect(report.steps.map((s) => [s.step, s.in, s.out, s.dropped])).toEqual([
      ["read", 11, 10, { malformed: 1 }],
      ["normalise", 10, 9, { empty: 1 }],
      ["deduplicate", 9, 8, { duplicate: 1 }],
      ["rules", 8, 6, { "too-few-words": 1, "llm-chatter": 1 }],
      ["self-bleu", 6, 5, { "self-bleu": 1 }],
    ]);
    const kept = readJsonl(join(out, "kept.jsonl"));
    expect(kept.map((r) => r.index)).toEqual([0, 4, 7, 9, 10]);
    expect(kept[2]).toEqual({ index: 7, line: 9, id: "u7", query: "an astronaut riding a horse on the moon & stars", toxicity: 0 });

    const dropped = readJsonl(join(out, "dropped.jsonl"));
    expect(dropped).toHaveLength(6);
    expect(dropped.find((d) => d.reason === "duplicate")).toMatchObject({ index: 1, duplicateOf: 0 });
    expect(dropped.find((d) => d.reason === "self-bleu")).toMatchObject({ index: 2, similarTo: 0 });
    expect(dropped.find((d) => d.reason === "malformed")).toMatchObject({ index: 5, line: 7, detail: expect.stringMatching(/unbalanced quote/) });
    for (const record of dropped) expect(record).toHaveProperty("query");

    expect(report.safety).toMatchObject({ source: "detoxify", candidates: 2 });
    const sft = readJsonl(join(out, "sft.jsonl"));
    const dpo = readJsonl(join(out, "dpo.jsonl"));
    expect([...sft, ...dpo].filter((r) => r.pool === "safety").map((r) => r.index).sort()).toEqual([4, 9]);
    expect(sft.filter((r) => r.pool === "safety")).toHaveLength(1);
    expect(dpo.filter((r) => r.pool === "safety")).toHaveLength(1);
    expect([...sft, ...dpo].filter((r) => r.pool === "general")).toHaveLength(2);
    expect(sft[0]).toHaveProperty("query");
    const markdown = readFileSync(join(out, "report.md"), "utf8");
    expect(markdown).toMatch(/\| rules \| 8 \| 6 \| too-few-words: 1, llm-chatter: 1 \|/);
    expect(JSON.parse(readFileSync(join(out, "report.json"), "utf8"))).toMatchObject({ kept: 5, malformed: { count: 1, rows: [{ index: 5, line: 7 }] } });
  });

  it("keeps everything but exact duplicates and empties with rules, self-BLEU and safety off", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vpo-curate-"));
    const input = join(dir, "q.txt");
    writeFileSync(input, "cat\na cat\nA  cat\n???\nhttps://x.y/z a cat video\n");
    const report = await curate({ input, outDir: join(dir, "out"), rules: false, selfBleu: false, safety: false });
    expect(readJsonl(join(dir, "out", "kept.jsonl"))).toEqual([
      { index: 0, line: 1, query: "cat" },
      { index: 1, line: 2, query: "a cat" },
      { index: 4, line: 5, query: "https://x.y/z a cat video" },
    ]);
    expect(report.settings).toMatchObject({ rules: false, selfBleu: null, safety: false });
    expect(report.safety.source).toBe("disabled");
  });
});
