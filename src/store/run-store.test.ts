import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RunStore } from "./run-store.js";
import { runStatus } from "./status.js";

const tmp = () => mkdtempSync(join(tmpdir(), "vpo-store-"));
const open = (dir: string, identity: Record<string, unknown> = { seed: 1 }, extra = {}) => RunStore.open(dir, { pipeline: "dpo", identity, ...extra });

/** Runs a script in a child process that opens the store, claims an item and then waits to be killed. */
function holdStore(dir: string): Promise<{ kill: () => Promise<void> }> {
  const storeModule = fileURLToPath(new URL("./run-store.ts", import.meta.url));
  const code = `
    const { RunStore } = await import(${JSON.stringify(storeModule)});
    const store = RunStore.open(${JSON.stringify(dir)}, { pipeline: "dpo", identity: { seed: 1 } });
    const item = store.ensure({ stage: "sample", key: "7", queryIndex: 7, input: { query: "q7" } });
    store.claim(item);
    process.stdout.write("claimed\\n");
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("claimed")) {
        resolve({
          kill: () =>
            new Promise<void>((done) => {
              child.on("close", () => done());
              child.kill("SIGKILL");
            }),
        });
      }
    });
    child.on("error", reject);
  });
}

describe("RunStore", () => {
  it("creates items once, claims, completes with children in one step, and never duplicates a row", () => {
    const dir = tmp();
    const store = open(dir);
    const a = store.ensure({ stage: "sample", key: "0", queryIndex: 0, input: { query: "a cat" } });
    const again = store.ensure({ stage: "sample", key: "0", queryIndex: 0, input: { query: "ignored" } });
    expect(again.id).toBe(a.id);
    expect(again.input).toEqual({ query: "a cat" });
    const attempt = store.claim(a);
    expect(() => store.claim(a)).toThrow(/not pending/);
    const children = [0, 1].map((k) => ({ stage: "text-feedback", key: `0/${k}`, queryIndex: 0, input: { k } }));
    store.complete(a, attempt, { candidates: 2 }, { children });
    // A repeated completion (say, of a re-run) cannot add the children twice.
    store.ensure({ stage: "text-feedback", key: "0/1", queryIndex: 0, input: { k: 9 } });
    expect(store.ofQuery(0).map((i) => [i.stage, i.key, i.status])).toEqual([
      ["sample", "0", "done"],
      ["text-feedback", "0/0", "pending"],
      ["text-feedback", "0/1", "pending"],
    ]);
    expect(store.get("sample", "0")).toMatchObject({ status: "done", output: { candidates: 2 }, attempts: 1 });
    store.close();
  });

  it("keeps checkpoints of failed items and retries them on request", () => {
    const dir = tmp();
    const store = open(dir);
    const item = store.ensure({ stage: "text-feedback", key: "3/0", queryIndex: 3, input: {} });
    const attempt = store.claim(item);
    store.checkpoint(item, { verdict: "flagged" });
    store.fail(item, attempt, { code: "model-output", step: "refine", message: "the refinement was unchanged" });
    expect(store.counts()).toEqual([{ stage: "text-feedback", pending: 0, running: 0, done: 0, failed: 1 }]);
    expect(store.failureReasons()).toEqual([
      { stage: "text-feedback", code: "model-output", step: "refine", message: "the refinement was unchanged", count: 1, examples: ["3/0"] },
    ]);
    expect(store.retryFailed()).toBe(1);
    expect(store.get("text-feedback", "3/0")).toMatchObject({ status: "pending", checkpoint: { verdict: "flagged" } });
    store.close();
  });

  it("interns equal provenance objects into one row", () => {
    const store = open(tmp());
    const a = store.provenanceId({ model: { id: "m" }, template: "abc" });
    const b = store.provenanceId({ template: "abc", model: { id: "m" } });
    expect(a).toBe(b);
    expect(store.provenance(a)).toEqual({ model: { id: "m" }, template: "abc" });
    store.close();
  });

  it("refuses to resume with other result-deciding settings unless told to", () => {
    const dir = tmp();
    open(dir, { seed: 1, k: 4 }).close();
    expect(() => open(dir, { seed: 2, k: 4 })).toThrow(/started with other settings \(seed\)/);
    open(dir, { seed: 2, k: 4 }, { allowChanges: true }).close();
    expect(() => RunStore.open(dir, { pipeline: "sft", identity: {} })).toThrow(/holds a "dpo" run/);
  });

  it("refuses a directory a live process holds, and recovers the in-flight work of a killed one", async () => {
    const dir = tmp();
    const holder = await holdStore(dir);
    expect(() => open(dir)).toThrow(/in use by another vpo process \(pid \d+/);
    expect(runStatus(dir).active).toBe(true);
    await holder.kill();
    const store = open(dir);
    expect(store.session).toMatchObject({ recovered: 1, crashedSessions: 1 });
    expect(store.get("sample", "7")).toMatchObject({ status: "pending", attempts: 1 });
    store.close();
    const status = runStatus(dir, { stageOrder: ["sample"] });
    expect(status.active).toBe(false);
    expect(status.sessions).toMatchObject({ started: 2, crashed: 1, last: { outcome: "completed" } });
    expect(status.stages).toEqual([{ stage: "sample", pending: 1, running: 0, done: 0, failed: 0 }]);
  });

  it("records a session whose scope ended before close(outcome) as failed, and one closed as stopped as stopped", () => {
    const dir = tmp();
    const fail = (): void => {
      using store = open(dir);
      store.ensure({ stage: "sample", key: "0", queryIndex: 0, input: { query: "q0" } });
      throw new Error("the run broke");
    };
    expect(fail).toThrow("the run broke");
    expect(runStatus(dir).sessions).toMatchObject({ started: 1, crashed: 0, last: { outcome: "failed" } });
    {
      using store = open(dir);
      store.close("stopped");
    }
    expect(runStatus(dir).sessions).toMatchObject({ started: 2, last: { outcome: "stopped" } });
  });
});
