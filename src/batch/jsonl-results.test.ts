import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JsonlResults } from "./jsonl-results.js";

const file = (content: string) => {
  const path = join(mkdtempSync(join(tmpdir(), "vpo-results-")), "out.jsonl");
  writeFileSync(path, content);
  return path;
};

describe("JsonlResults", () => {
  it("cuts a half-written last line left by a crash and resumes after it", async () => {
    const path = file('{"index":0,"status":"ok"}\n{"index":1,"status":"ok"}\n{"index":2,"sta');
    const results = await JsonlResults.open(path);
    expect(results.scan.repairedBytes).toBe('{"index":2,"sta'.length);
    expect([0, 1, 2].map((i) => results.isDone(i))).toEqual([true, true, false]);
    results.append({ index: 2, status: "ok" });
    await results.close();
    expect(readFileSync(path, "utf8")).toBe('{"index":0,"status":"ok"}\n{"index":1,"status":"ok"}\n{"index":2,"status":"ok"}\n');
  });

  it("skips unreadable lines, redoes them, and compacts them away", async () => {
    const path = file('{"index":0,"status":"ok"}\ngarbage\n{"no":"index"}\n');
    const results = await JsonlResults.open(path);
    expect(results.scan.corruptLines).toEqual([2, 3]);
    await results.close();
    expect(readFileSync(path, "utf8")).toBe('{"index":0,"status":"ok"}\n');
  });

  it("with retryFailed redoes failures and keeps the last record per index", async () => {
    const path = file('{"index":0,"status":"failed"}\n{"index":1,"status":"ok"}\n');
    const results = await JsonlResults.open(path, { retryFailed: true });
    expect([results.isDone(0), results.isDone(1)]).toEqual([false, true]);
    results.append({ index: 0, status: "ok" });
    await results.close();
    expect(readFileSync(path, "utf8")).toBe('{"index":1,"status":"ok"}\n{"index":0,"status":"ok"}\n');
  });

  it("without retryFailed treats failures as done", async () => {
    const path = file('{"index":0,"status":"failed"}\n');
    const results = await JsonlResults.open(path);
    expect(results.isDone(0)).toBe(true);
    await results.close();
  });
});
