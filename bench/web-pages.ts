/**
 * npm run bench:web-pages — the run browser's and the review page's weight and speed, in real Chromium:
 *  1. gzipped size of the built JavaScript and CSS (dist/web/assets; target JS < 200 KB gzipped);
 *  2. time to first render (first contentful paint) and until the data is on screen, for /runs, a run's pairs page
 *     (DPO run of the pipeline test: 3 video pairs with 64 checklist answers each) and a review's results page;
 *     median of 5 cold page loads each (target: data on screen < 1 s on this machine).
 *   npm run build && node --import tsx bench/web-pages.ts
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { ReviewStore } from "../src/review/index.js";
import { DEFAULT_WEB_DIR } from "../src/server/routes/web.js";
import { canRunBrowser, launchBrowser } from "../test/fixtures/browser.js";
import { makeRunDirs } from "../test/fixtures/run-dirs.js";
import { startScriptedServer } from "../test/fixtures/scripted-server.js";
import { startVpo } from "../test/helpers/serve.js";

const assets = join(DEFAULT_WEB_DIR, "assets");
const size = (ext: string) => readdirSync(assets).filter((f) => f.endsWith(ext)).reduce((n, f) => n + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);
const js = size(".js");
console.log(`gzipped JS ${(js / 1024).toFixed(1)} KB (target < 200 KB, ratio ${(js / (200 * 1024)).toFixed(3)}); gzipped CSS ${(size(".css") / 1024).toFixed(1)} KB`);

if (!canRunBrowser("bench/web-pages.ts page timings")) process.exit(0);
const root = mkdtempSync(join(tmpdir(), "vpo-bench-web-"));
const dirs = await makeRunDirs(root);
const store = ReviewStore.open(join(root, "reviews.sqlite"));
const rows = (tag: string) => Array.from({ length: 50 }, (_, i) => JSON.stringify({ query: `query ${i}`, prompt: `${tag} prompt ${i}` })).join("\n");
writeFileSync(join(root, "a.jsonl"), rows("A"));
writeFileSync(join(root, "b.jsonl"), rows("B"));
store.create({ name: "bench", a: join(root, "a.jsonl"), b: join(root, "b.jsonl") });
store.close();
const backend = await startScriptedServer();
const vpo = await startVpo(backend.url, { runs: dirs.runs, reviews: join(root, "reviews.sqlite") });
const browser = await launchBrowser();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(path: string, ready: (page: Page) => Promise<unknown>): Promise<void> {
  const fcp: number[] = [];
  const shown: number[] = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const start = Date.now();
    await page.goto(`${vpo.url}${path}`);
    await ready(page);
    shown.push(Date.now() - start);
    fcp.push(Number(await page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN")));
    await context.close();
  }
  const ms = median(shown);
  console.log(`${path}: first contentful paint ${median(fcp).toFixed(0)} ms, data on screen ${ms} ms (target < 1000 ms, ratio ${(ms / 1000).toFixed(2)})`);
}

try {
  await time("/runs", (p) => p.getByRole("link", { name: "dpo-demo" }).waitFor());
  await time("/runs/dpo-demo/pairs", (p) => p.getByText("Checklist answers:").first().waitFor());
  await time("/review/bench/results", (p) => p.getByRole("table").first().waitFor());
} finally {
  await browser.close();
  await vpo.close();
  await backend.close();
}
