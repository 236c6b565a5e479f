import { createHash } from "node:crypto";
import { chmodSync, cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHttpModel } from "../src/model/openai-compatible.js";
import { runDpo } from "../src/pipeline/index.js";
import { loadChecklist } from "../src/reward/checklist.js";
import { CommandRewardBackend } from "../src/reward/command-reward.js";
import { RewardCache } from "../src/reward/reward-cache.js";
import { ApiKeys, parseApiKeys } from "../src/server/api-keys.js";
import { CommandVideoBackend } from "../src/video/command-video.js";
import { VideoCache } from "../src/video/video-cache.js";
import { canRunBrowser, DESKTOP, launchBrowser, PHONE, screenshot, watchPage } from "./fixtures/browser.js";
import { makeRunDirs, XSS } from "./fixtures/run-dirs.js";
import { pipelineScript } from "./fixtures/pipeline-script.js";
import { startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";
import { writeStandIns } from "./fixtures/stand-in-commands.js";
import { json, startVpo, until } from "./helpers/serve.js";

const KEY = "sk-vpo-runs";
let backend: ScriptedServer;
let vpo: Awaited<ReturnType<typeof startVpo>>;
let keyed: Awaited<ReturnType<typeof startVpo>>;
let dirs: Awaited<ReturnType<typeof makeRunDirs>>;
let storeHash: string;
const hash = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), "vpo-web-runs-"));
  dirs = await makeRunDirs(root);
  // A link inside --runs to a run outside it must not be served.
  const outside = join(root, "outside-run");
  cpSync(dirs.dpo, outside, { recursive: true });
  symlinkSync(outside, join(dirs.runs, "escape"));
  storeHash = hash(join(dirs.dpo, "run.sqlite"));
  backend = await startScriptedServer();
  vpo = await startVpo(backend.url, { runs: dirs.runs });
  keyed = await startVpo(backend.url, { runs: dirs.runs, apiKeys: new ApiKeys(parseApiKeys(`${KEY}\n`, "keys.txt")) });
}, 60_000);
afterAll(async () => {
  await vpo?.close();
  await keyed?.close();
  await backend?.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${vpo.url}${path}`, { headers });

describe("the run browser's API (vpo serve --runs DIR)", () => {
  it("lists the runs with stages, counts and progress, and never writes to a run store", async () => {
    const { runs } = await json(await get("/api/runs"));
    expect(runs.map((r: { name: string }) => r.name).sort()).toEqual(["dpo-demo", "sft-demo"]);
    const dpo = runs.find((r: { name: string }) => r.name === "dpo-demo");
    expect(dpo).toMatchObject({ pipeline: "dpo", active: false, lastOutcome: "completed" });
    expect(dpo.stages.map((s: { stage: string; done: number; failed: number }) => [s.stage, s.done, s.failed])).toEqual([
      ["sample", 6, 0],
      ["text-feedback", 23, 1],
      ["video-feedback", 18, 3],
      ["pairs", 6, 0],
    ]);
    expect(dpo.finished).toBe(dpo.total);
    const detail = await json(await get("/api/runs/dpo-demo"));
    expect(detail.failures.map((f: { message: string }) => f.message)).toContain("video command exited with code 3: CUDA out of memory while rendering");
    expect(hash(join(dirs.dpo, "run.sqlite"))).toBe(storeHash);
    expect(detail.sessions.started).toBe(1);
  });

  it("filters and pages items, with failure reasons", async () => {
    const failed = await json(await get("/api/runs/dpo-demo/items?status=failed&stage=video-feedback"));
    expect(failed.total).toBe(3);
    expect(failed.items.map((i: { error: { step: string } }) => i.error.step).sort()).toEqual(["reward", "video", "video"]);
    const page = await json(await get("/api/runs/dpo-demo/items?limit=5&offset=5"));
    const all = (await json(await get("/api/runs/dpo-demo"))).total;
    expect(page).toMatchObject({ total: all, offset: 5, limit: 5 });
    expect(page.items).toHaveLength(5);
    const search = await json(await get(`/api/runs/dpo-demo/items?q=${encodeURIComponent("dolphins")}&stage=sample`));
    expect(search.items.map((i: { query: string }) => i.query)).toEqual(["two dolphins leaping at sunset"]);
    // LIKE wildcards are literal.
    expect((await json(await get("/api/runs/dpo-demo/items?q=%25"))).total).toBe(0);
    expect((await get("/api/runs/dpo-demo/items?limit=100000")).status).toBe(400);
    expect((await get("/api/runs/dpo-demo/items?status=lost")).status).toBe(400);
  });

  it("serves DPO pairs (critiques, scores, the 64 answers) and SFT records", async () => {
    const text = await json(await get("/api/runs/dpo-demo/pairs?source=text"));
    expect(text.pairs.map((p: { critique: string }) => p.critique)).toEqual([`Remove the blood. ${XSS}`, `Remove the blood. ${XSS}`]);
    const video = await json(await get("/api/runs/dpo-demo/pairs?source=video"));
    expect(video.total).toBe(3);
    for (const p of video.pairs) {
      expect(p.answers.chosen).toHaveLength(64);
      expect(p.gap).toBeGreaterThan(0.5);
      expect(p.videos.chosen).toMatch(/^[0-9a-f]{64}\.mp4$/);
    }
    const sft = await json(await get("/api/runs/sft-demo/sft"));
    expect(sft.total).toBe(3);
    const gore = sft.records.find((r: { query: string }) => r.query.includes("gore"));
    expect(gore).toMatchObject({ category: "unsafe", refined: true });
    expect(gore.teacherPrompt).toContain("blood");
    expect(gore.prompt).toContain("red paint");
    const charts = await json(await get("/api/runs/dpo-demo/charts"));
    expect(charts.scores.n).toBe(18);
    expect(charts.gaps.n).toBe(3);
    expect(charts.pairs).toEqual({ text: 2, video: 3 });
  });

  it("streams a cached video with its type and Range support", async () => {
    const { pairs } = await json(await get("/api/runs/dpo-demo/pairs?source=video"));
    const name = pairs[0].videos.chosen as string;
    const file = readFileSync(join(dirs.dpo, "cache", "videos", name));
    const whole = await get(`/api/runs/dpo-demo/videos/${name}`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("video/mp4");
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(Buffer.from(await whole.arrayBuffer()).equals(file)).toBe(true);
    const part = await get(`/api/runs/dpo-demo/videos/${name}`, { range: "bytes=4-11" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 4-11/${file.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(file.subarray(4, 12))).toBe(true);
    const tail = await get(`/api/runs/dpo-demo/videos/${name}`, { range: "bytes=-10" });
    expect(Buffer.from(await tail.arrayBuffer()).equals(file.subarray(file.length - 10))).toBe(true);
    expect((await get(`/api/runs/dpo-demo/videos/${name}`, { range: `bytes=${file.length}-` })).status).toBe(416);
  });

  it("answers 404 for traversal in run and video names, unknown runs, and links that leave DIR", async () => {
    const { pairs } = await json(await get("/api/runs/dpo-demo/pairs?source=video"));
    const name = pairs[0].videos.chosen as string;
    const paths = [
      "/api/runs/nope",
      "/api/runs/..",
      "/api/runs/%2e%2e",
      "/api/runs/..%2F..%2Fetc",
      "/api/runs/%2Fetc",
      "/api/runs/.hidden",
      "/api/runs/escape",
      "/api/runs/escape/pairs",
      "/api/runs/dpo-demo/videos/..%2Frun.sqlite",
      "/api/runs/dpo-demo/videos/%2e%2e%2f%2e%2e%2frun.sqlite",
      "/api/runs/dpo-demo/videos/run.sqlite",
      `/api/runs/dpo-demo/videos/${name.replace(".mp4", ".json")}`,
      "/api/runs/dpo-demo/videos/0000.mp4",
      `/api/runs/sft-demo/videos/${name}`,
      `/api/runs/..%2Fruns%2Fdpo-demo/videos/${name}`,
    ];
    for (const path of paths) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect((await json(response)).error.code, path).toBe("not-found");
    }
    const { runs } = await json(await get("/api/runs"));
    expect(runs.map((r: { name: string }) => r.name)).not.toContain("escape");
  });

  it("wants the API key when the server has keys", async () => {
    expect((await fetch(`${keyed.url}/api/runs`)).status).toBe(401);
    expect((await fetch(`${keyed.url}/api/runs`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    expect((await fetch(`${keyed.url}/api/runs/dpo-demo/videos/x.mp4`)).status).toBe(401);
    expect((await fetch(`${keyed.url}/api/runs`, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
  });
});

const browserOk = canRunBrowser("the run browser in Chromium (test/web-runs.test.ts)");

async function openPairs(page: Page, url: string) {
  await page.goto(`${url}/runs`);
  await page.getByRole("link", { name: "dpo-demo" }).click();
  await page.getByRole("navigation", { name: "Run views" }).getByRole("link", { name: "Pairs" }).click();
  await page.getByText("Checklist answers:").first().waitFor();
}

describe.skipIf(!browserOk)("the run browser in Chromium", () => {
  it("shows the DPO run's stages, pairs with critiques, and the checklist answers side by side; markup stays text", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: DESKTOP });
      const seen = watchPage(page);
      await page.goto(`${vpo.url}/runs`);
      await page.getByRole("link", { name: "dpo-demo" }).waitFor();
      await screenshot(page, "runs-list-desktop");
      await page.getByRole("link", { name: "dpo-demo" }).click();
      const stages = page.getByRole("table").first();
      await stages.getByRole("rowheader", { name: "video-feedback" }).waitFor();
      const row = stages.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "video-feedback" }) });
      expect(await row.getByRole("cell").allTextContents()).toEqual(["", "18", "3", "0", "0"]);
      await page.getByText("CUDA out of memory while rendering").waitFor();
      await page.getByRole("img", { name: /^Reward scores of rendered candidates/ }).waitFor();
      await screenshot(page, "run-overview-desktop");

      await page.getByRole("navigation", { name: "Run views" }).getByRole("link", { name: "Pairs" }).click();
      await page.getByText("Checklist answers:").first().waitFor();
      const textPair = page.getByRole("listitem", { name: "pair for query 4" });
      expect(await textPair.locator(".critique").textContent()).toBe(`Critique: Remove the blood. ${XSS}`);
      expect(await textPair.locator(".record-query").textContent()).toContain(`a cat ${XSS} playing piano`);
      const videoPair = page.getByRole("listitem", { name: "pair for query 0" });
      await videoPair.getByText(/^Checklist answers: \d+ of 64 differ$/).click();
      const differing = videoPair.locator("tr[data-differs]");
      const count = await differing.count();
      expect(count).toBeGreaterThan(0);
      // Strict dominance: where the answers differ, the chosen video says yes and the rejected one no.
      expect(await differing.first().locator("td").nth(3).textContent()).toBe("yes");
      expect(await differing.first().locator("td").nth(4).textContent()).toBe("no");
      await videoPair.getByRole("button", { name: "Show all 64 questions" }).click();
      expect(await videoPair.locator("tbody tr").count()).toBe(64);
      expect(await videoPair.locator("tr[data-differs]").count()).toBe(count);
      expect(await videoPair.locator("video").count()).toBe(2);
      await screenshot(page, "run-pairs-desktop");

      await page.getByRole("navigation", { name: "Run views" }).getByRole("link", { name: "Items" }).click();
      await page.getByLabel("Status").selectOption("failed");
      await page.getByText("video command timed out after 1.5 s and was killed").waitFor();
      expect(await page.locator("tbody tr").count()).toBe(4);
      await screenshot(page, "run-items-desktop");

      expect(await page.locator("img[src='x']").count()).toBe(0);
      expect(seen.dialogs).toEqual([]);
      expect(seen.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("shows SFT records (query → teacher prompt → critique → refined prompt) and works at phone width", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: PHONE });
      const seen = watchPage(page);
      await page.goto(`${vpo.url}/runs`);
      await page.getByRole("link", { name: "sft-demo" }).waitFor();
      await screenshot(page, "runs-list-phone");
      await page.goto(`${vpo.url}/runs/sft-demo/records`);
      const gore = page.getByRole("listitem").filter({ hasText: "a gore scene in an abandoned hospital" });
      await gore.getByText("Refined prompt (training target)").waitFor();
      expect(await gore.getByText(/red paint/).count()).toBe(1);
      await screenshot(page, "run-sft-phone");
      await openPairs(page, vpo.url);
      await screenshot(page, "run-pairs-phone");
      // No horizontal scrolling of the page itself at phone width.
      expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(PHONE.width);
      expect(seen.dialogs).toEqual([]);
      expect(seen.errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("follows a run while it is going: running now, then its final counts, without a reload", async () => {
    const root = mkdtempSync(join(tmpdir(), "vpo-web-live-"));
    const gate = join(root, "gate");
    // Videos wait for the gate file, so the run is surely still going while the page first looks at it.
    const video = join(root, "gated-video.sh");
    writeFileSync(video, `#!/bin/sh\nwhile [ ! -f ${gate} ]; do sleep 0.05; done\nprintf '%s' "$1" > "$2"\n`);
    chmodSync(video, 0o755);
    const queries = join(root, "queries.txt");
    writeFileSync(queries, "a paper boat on a river\na snail racing a turtle\n");
    const server = await startScriptedServer({ script: pipelineScript() });
    const model = await openHttpModel({ baseUrl: server.url, model: "m", retries: 0, concurrency: 4 });
    const out = join(dirs.runs, "live-run");
    const cache = join(out, "cache");
    const stand = writeStandIns(join(root, "bin"), { fast: true });
    const running = runDpo({
      queries,
      out,
      policy: model,
      critic: { judge: model },
      video: new CommandVideoBackend({ command: `${video} {prompt} {output}`, cache: new VideoCache(cache), concurrency: 2 }),
      reward: new CommandRewardBackend({ command: stand.rewardCmd, checklist: loadChecklist(), cache: new RewardCache(cache), concurrency: 2 }),
    });
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: DESKTOP });
      await until(async () => (await get("/api/runs/live-run")).status === 200, "the live run's store");
      await page.goto(`${vpo.url}/runs/live-run`);
      await page.getByText("running now").waitFor();
      await page.getByText(/live: refreshing every/).waitFor();
      writeFileSync(gate, "");
      await running;
      await page.getByText("completed", { exact: true }).waitFor({ timeout: 20_000 });
      const row = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "video-feedback" }) });
      expect(await row.getByRole("cell").allTextContents()).toEqual(["", "8", "0", "0", "0"]);
      expect(await page.getByText(/live: refreshing every/).count()).toBe(0);
    } finally {
      await browser.close();
      await model.dispose();
      await server.close();
    }
  });

  it("tells an unknown run and a server that wants a key apart, with the key form's retry", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: DESKTOP });
      await page.goto(`${vpo.url}/runs/no-such-run`);
      await page.getByRole("alert").filter({ hasText: 'no run named "no-such-run"' }).waitFor();
      await page.goto(`${keyed.url}/runs`);
      await page.getByRole("alert").filter({ hasText: "The server wants an API key." }).waitFor();
      await page.getByRole("button", { name: "API key" }).click();
      await page.getByLabel("API key").fill(KEY);
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("link", { name: "dpo-demo" }).waitFor();
    } finally {
      await browser.close();
    }
  });
});
