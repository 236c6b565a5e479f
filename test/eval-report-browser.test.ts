import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateBench } from "../src/eval/bench/evaluate-bench.js";
import { openHttpModel } from "../src/model/openai-compatible.js";
import { CommandRewardBackend } from "../src/reward/command-reward.js";
import { loadChecklist } from "../src/reward/checklist.js";
import { RewardCache } from "../src/reward/reward-cache.js";
import { CommandVideoBackend } from "../src/video/command-video.js";
import { VideoCache } from "../src/video/video-cache.js";
import { writeBenchStandIns } from "./fixtures/bench-stand-ins.js";
import { startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";
import { writeStandIns } from "./fixtures/stand-in-commands.js";
import { requireSystemBinary, systemBinary } from "./fixtures/system-binary.js";

const browser = systemBinary("chromium");
const canRun = requireSystemBinary(browser, "report.html in a browser (test/eval-report-browser.test.ts)");

let server: ScriptedServer;
beforeAll(async () => {
  if (canRun) server = await startScriptedServer();
});
afterAll(() => server?.close());

describe.skipIf(!canRun)("report.html in Chromium", () => {
  it("shows the benchmark's charts as SVG with JavaScript off", async () => {
    const root = mkdtempSync(join(tmpdir(), "vpo-report-"));
    const video = writeStandIns(join(root, "bin"), { fast: true });
    const scorers = writeBenchStandIns(join(root, "scorers"));
    const checklist = loadChecklist();
    const model = await openHttpModel({ baseUrl: server.url, model: "vpo" });
    const out = join(root, "out");
    const run = await evaluateBench({
      suite: "vbench-all", limit: 24, seed: 1, out, checklist,
      systems: [{ name: "original" }, { name: "vpo", optimize: { model } }],
      video: new CommandVideoBackend({ command: video.videoCmd, cache: new VideoCache(join(out, "cache")), concurrency: 2 }),
      reward: new CommandRewardBackend({ command: scorers.rewardCmd, checklist, cache: new RewardCache(join(out, "cache")), concurrency: 2 }),
    });
    await model.dispose();
    const b = await chromium.launch({ executablePath: browser.path!, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
    try {
      const page = await b.newPage({ javaScriptEnabled: false, viewport: { width: 1200, height: 900 } });
      await page.goto(pathToFileURL(join(out, "report.html")).href);
      await expect(page.getByRole("heading", { name: "Benchmark: vbench-all" }).isVisible()).resolves.toBe(true);
      const charts = page.locator("svg[viewBox]");
      expect(await charts.count()).toBeGreaterThanOrEqual(run.report.columns.length + 2);
      const box = await charts.first().boundingBox();
      expect(box!.width).toBeGreaterThan(200);
      expect(box!.height).toBeGreaterThan(150);
      // The overall chart draws one bar per system.
      expect(await page.locator("figure", { hasText: "overall" }).first().locator("rect").count()).toBeGreaterThanOrEqual(2);
      const shots = process.env.VPO_SCREENSHOT_DIR;
      if (shots) {
        mkdirSync(resolve(shots), { recursive: true });
        await page.screenshot({ path: join(resolve(shots), "bench-report.png"), fullPage: true });
      }
    } finally {
      await b.close();
    }
  }, 120_000);
});
