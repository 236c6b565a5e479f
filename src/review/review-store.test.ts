import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { agreement } from "./agreement.js";
import { reviewReport } from "./review-report.js";
import { ReviewStore } from "./review-store.js";

const tmp = () => mkdtempSync(join(tmpdir(), "vpo-review-"));
const jsonl = (dir: string, name: string, rows: unknown[]) => {
  const path = join(dir, name);
  writeFileSync(path, rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n");
  return path;
};

describe("ReviewStore", () => {
  it("refuses files that do not hold the same queries, naming the file and line", () => {
    const dir = tmp();
    const store = ReviewStore.open(join(dir, "r.sqlite"));
    const a = jsonl(dir, "a.jsonl", [{ query: "a cat", prompt: "p1" }, { query: "a dog", prompt: "p2" }]);
    const b = jsonl(dir, "b.jsonl", [{ query: "a dog", prompt: "q2" }, { query: "a cow", prompt: "q3" }]);
    expect(() => store.create({ name: "x", a, b })).toThrow(/a\.jsonl line 1: query "a cat" is not in .*b\.jsonl/);
    const bad = jsonl(dir, "bad.jsonl", [{ query: "a cat", prompt: "p" }, "{oops", { query: "a dog" }]);
    expect(() => store.create({ name: "x", a, b: bad })).toThrow(/bad\.jsonl line 2: not valid JSON/);
    const noPrompt = jsonl(dir, "np.jsonl", [{ query: "a cat", prompt: "p" }, { query: "a dog" }]);
    expect(() => store.create({ name: "x", a, b: noPrompt })).toThrow(/np\.jsonl line 2: prompt: /);
    const extra = jsonl(dir, "extra.jsonl", [{ query: "a dog", prompt: "q" }, { query: "a cat", prompt: "q" }, { query: "a cat", prompt: "q" }]);
    expect(() => store.create({ name: "x", a, b: extra })).toThrow(/extra\.jsonl line 3: query "a cat" is not in/);
    expect(store.list()).toEqual([]);
    store.close();
  });

  it("keeps each reviewer's side order, maps votes back to the systems, and resumes at the first unvoted item", () => {
    const dir = tmp();
    const path = join(dir, "r.sqlite");
    let store = ReviewStore.open(path);
    const a = jsonl(dir, "a.jsonl", [0, 1, 2].map((i) => ({ query: `q${i}`, prompt: `A says ${i}` })));
    const b = jsonl(dir, "b.jsonl", [2, 1, 0].map((i) => ({ query: `q${i}`, prompt: `B says ${i}` })));
    expect(store.create({ name: "t", a, b, aLabel: "vpo" })).toMatchObject({ items: 3, labels: { a: "vpo", b: "b.jsonl" } });
    expect(() => store.create({ name: "t", a, b })).toThrow(/exists already/);
    expect(store.join("t", "  Ada  ")).toEqual({ reviewer: "Ada", total: 3, done: 0, next: 0 });
    const first = store.show("t", "Ada", 0);
    expect(first.query).toBe("q0");
    // Shown again (a reload): the same order, drawn once.
    for (let i = 0; i < 5; i++) expect(store.show("t", "Ada", 0).sides).toEqual(first.sides);
    const aShownAs = first.sides.find((s) => s.prompt.startsWith("A says"))!.label;
    store.vote("t", "Ada", 0, { instruction: aShownAs, quality: "tie", overall: aShownAs });
    expect(() => store.vote("t", "Ada", 1, { instruction: "A", quality: "A", overall: "A" })).toThrow(/not shown/);
    store.close();
    store = ReviewStore.open(path);
    expect(store.join("t", "Ada")).toMatchObject({ done: 1, next: 1 });
    expect(store.show("t", "Ada", 0).votes).toEqual({ instruction: aShownAs, quality: "tie", overall: aShownAs });
    const report = reviewReport(store, "t");
    expect(report.questions.map((q) => [q.question, q.win.count, q.tie.count, q.loss.count])).toEqual([
      ["instruction", 1, 0, 0],
      ["quality", 0, 1, 0],
      ["overall", 1, 0, 0],
    ]);
    expect(() => store.join("t", "\u0007")).toThrow(/1 to 64 characters/);
    expect(() => store.show("nope", "Ada", 0)).toThrow(/no review named/);
    store.close();
  });
});

describe("agreement", () => {
  it("computes raw agreement, Fleiss' and Cohen's kappa (worked by hand)", () => {
    const items = [["a", "a"], ["a", "tie"], ["b", "b"], ["a", "a"]].map(([x, y]) => new Map([["r1", x!], ["r2", y!]]));
    const result = agreement(items, ["a", "b", "tie"]);
    // 3 of 4 items agree; category shares 5/8, 2/8, 1/8 → P_e = 0.46875 → κ_F = 0.28125 / 0.53125 = 9/17.
    expect(result!.raw).toBe(0.75);
    expect(result!.fleissKappa).toBeCloseTo(9 / 17, 12);
    // r1: a 3/4, b 1/4; r2: a 2/4, b 1/4, tie 1/4 → p_e = 0.4375 → κ_C = 0.3125 / 0.5625 = 5/9.
    expect(result!.cohenKappa).toBeCloseTo(5 / 9, 12);
    expect(agreement([new Map([["r1", "a"]])], ["a", "b", "tie"])).toBeUndefined();
  });
});
