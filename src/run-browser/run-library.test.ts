import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunStore } from "../store/run-store.js";
import { histogram } from "./run-charts.js";
import { isRunName, RunLibrary } from "./run-library.js";
import { listRuns } from "./run-summary.js";
import { runVideo } from "./run-videos.js";

describe("RunLibrary", () => {
  it("lists only run folders inside the root, and resolves no name that leaves it", () => {
    const root = mkdtempSync(join(tmpdir(), "vpo-runlib-"));
    const runs = join(root, "runs");
    RunStore.open(join(runs, "a"), { pipeline: "dpo", identity: {} }).close();
    mkdirSync(join(runs, "not-a-run"));
    RunStore.open(join(root, "outside"), { pipeline: "sft", identity: {} }).close();
    symlinkSync(join(root, "outside"), join(runs, "link-out"));
    symlinkSync(join(runs, "a"), join(runs, "link-in"));
    const library = new RunLibrary(runs);
    expect(library.names()).toEqual(["a", "link-in"]);
    expect(listRuns(library).map((r) => r.name)).toEqual(["a", "link-in"]);
    for (const bad of ["..", ".", "../outside", "link-out", "not-a-run", "a/..", "", ".a", "a\u0000"]) expect(() => library.dir(bad), bad).toThrow(/no run named/);
    expect(isRunName("run-2026.12_01")).toBe(true);
    expect(() => new RunLibrary(join(root, "missing"))).toThrow(/no such directory/);
  });

  it("serves only video files inside the run's own cache", () => {
    const root = mkdtempSync(join(tmpdir(), "vpo-runlib-"));
    const run = join(root, "r");
    RunStore.open(run, { pipeline: "dpo", identity: {} }).close();
    mkdirSync(join(run, "cache", "videos"), { recursive: true });
    writeFileSync(join(run, "cache", "videos", "abc.mp4"), "0123456789");
    writeFileSync(join(root, "secret.mp4"), "secret");
    symlinkSync(join(root, "secret.mp4"), join(run, "cache", "videos", "leak.mp4"));
    const library = new RunLibrary(root);
    expect(runVideo(library, "r", "abc.mp4")).toMatchObject({ type: "video/mp4", bytes: 10 });
    for (const bad of ["leak.mp4", "../run.sqlite", "run.sqlite", "abc.json", "nope.mp4", "abc.mp4/"]) expect(() => runVideo(library, "r", bad), bad).toThrow(/no cached video/);
  });
});

describe("histogram", () => {
  it("bins from 0 to the largest value, the largest in the last bin", () => {
    const h = histogram([0, 0.5, 1.9, 4], 1);
    expect(h.n).toBe(4);
    expect(h.bins).toHaveLength(16);
    expect(h.bins.at(-1)).toMatchObject({ high: 4, count: 1 });
    expect(h.bins.reduce((n, b) => n + b.count, 0)).toBe(4);
    expect(histogram([], 1).bins.at(-1)!.high).toBe(1);
  });
});
