import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PairwiseReport } from "../src/eval/pairwise/compare-pairwise.js";
import { wilsonInterval } from "../src/eval/wilson.js";
import { checklistScore, loadChecklist } from "../src/reward/checklist.js";
import type { Answer } from "../src/reward/types.js";
import { runCli } from "./helpers/cli.js";

const checklist = loadChecklist();
/** 64 answers, "yes" exactly at the given 1-based question numbers. */
const yesAt = (...questions: number[]): Answer[] => Array.from({ length: 64 }, (_, i) => (questions.includes(i + 1) ? "yes" : "no"));
const firstYes = (k: number) => yesAt(...Array.from({ length: k }, (_, i) => i + 1));
const row = (system: string, queryIndex: number, answers: Answer[] | undefined) => ({
  index: queryIndex, status: answers ? "ok" : "failed", queryIndex, system, query: `query ${queryIndex}`, categories: [], prompt: "p",
  outcome: answers ? "scored" : "reward-failed", columns: {}, ms: 1, ...(answers ? { reward: { score: checklistScore(checklist, answers), answers, cached: false } } : {}),
});

describe("vpo eval pairwise", () => {
  it("counts wins, ties and losses by score and by strict dominance on a constructed case, with Wilson intervals", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vpo-pairwise-"));
    // q0–q3: A dominates; q4–q5: B dominates; q6: equal; q7–q9: A scores higher on the heavy alignment questions but
    // B says yes elsewhere, so neither dominates; q10 only A has; q11 B's reward failed.
    const a = [0, 1, 2, 3].map((i) => row("vpo", i, firstYes(30)))
      .concat([4, 5].map((i) => row("vpo", i, firstYes(10))), [row("vpo", 6, firstYes(12))], [7, 8, 9].map((i) => row("vpo", i, yesAt(1, 4))), [row("vpo", 10, firstYes(5)), row("vpo", 11, firstYes(5))]);
    const b = [0, 1, 2, 3].map((i) => row("standard", i, firstYes(10)))
      .concat([4, 5].map((i) => row("standard", i, firstYes(30))), [row("standard", 6, firstYes(12))], [7, 8, 9].map((i) => row("standard", i, yesAt(5, 6, 7, 8, 9, 10, 11, 12))), [row("standard", 11, undefined)]);
    for (const [name, rows] of [["a.jsonl", a], ["b.jsonl", b]] as const) writeFileSync(join(dir, name), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
    expect(checklistScore(checklist, yesAt(1, 4))).toBeGreaterThan(checklistScore(checklist, yesAt(5, 6, 7, 8, 9, 10, 11, 12)));

    const r = await runCli(["eval", "pairwise", "--a", join(dir, "a.jsonl"), "--b", join(dir, "b.jsonl"), "--out", join(dir, "out"), "--json", "-q"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as PairwiseReport;
    expect(report).toMatchObject({ n: 10, onlyA: 2, onlyB: 0, a: { system: "vpo" }, b: { system: "standard" } });
    expect([report.byScore.win.count, report.byScore.tie.count, report.byScore.loss.count]).toEqual([7, 1, 2]);
    expect([report.byDominance!.win.count, report.byDominance!.tie.count, report.byDominance!.loss.count]).toEqual([4, 4, 2]);
    expect(report.byScore.win.share).toBe(0.7);
    const w = wilsonInterval(7, 10);
    expect([report.byScore.win.low, report.byScore.win.high]).toEqual([w.low, w.high]);
    const md = readFileSync(join(dir, "out", "report.md"), "utf8");
    expect(md).toContain("| overall score | 10 | 70.0% (7) [39.7%, 89.2%] | 10.0% (1) [1.8%, 40.4%] | 20.0% (2) [5.7%, 51.0%] |");
    expect(md).toContain("| strict dominance | 10 | 40.0% (4) [16.8%, 68.7%] | 40.0% (4) [16.8%, 68.7%] | 20.0% (2) [5.7%, 51.0%] |");
    expect(readFileSync(join(dir, "out", "report.html"), "utf8")).toMatch(/<svg[\s\S]*vpo wins[\s\S]*<\/svg>/);
  });

  it("asks which system to compare when a results file holds several", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vpo-pairwise-"));
    writeFileSync(join(dir, "r.jsonl"), [row("original", 0, firstYes(3)), { ...row("vpo", 0, firstYes(9)), index: 1 }].map((x) => JSON.stringify(x)).join("\n") + "\n");
    const r = await runCli(["eval", "pairwise", "--a", join(dir, "r.jsonl"), "--b", join(dir, "r.jsonl"), "--b-system", "original"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("holds systems original, vpo: pass --a-system NAME");
    const ok = await runCli(["eval", "pairwise", "--a", join(dir, "r.jsonl"), "--a-system", "vpo", "--b", join(dir, "r.jsonl"), "--b-system", "original", "-q"]);
    expect(ok.stdout).toContain("| overall score | 1 | 100.0% (1)");
  });
});
