/**
 * npm run bench:web — the web app's weight and how fast it shows up, on this machine:
 *  1. gzipped size of the JavaScript the page loads (every .js under dist/web/assets, gzip level 9; target < 200 KB),
 *     and of the CSS;
 *  2. time to first render in Chromium over a real vpo server on loopback (scripted model backend), median of 10
 *     cold loads (a fresh browser context each, so nothing is cached): first contentful paint, and the playground's
 *     query box ready to type in (which waits for GET /v1/info). Target: ready < 1,000 ms.
 *   npm run bench:web   (builds the app first; needs the system chromium: apt-get install chromium)
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { DEFAULT_WEB_DIR } from "../src/server/routes/web.js";
import { canRunBrowser, DESKTOP, launchBrowser } from "../test/fixtures/browser.js";
import { startScriptedServer } from "../test/fixtures/scripted-server.js";
import { startVpo } from "../test/helpers/serve.js";

const LOADS = 10;
const JS_TARGET_KB = 200;
const READY_TARGET_MS = 1000;

const assets = join(DEFAULT_WEB_DIR, "assets");
const gzipKb = (ext: string) =>
  readdirSync(assets)
    .filter((name) => name.endsWith(ext))
    .reduce((sum, name) => sum + gzipSync(readFileSync(join(assets, name)), { level: 9 }).length, 0) / 1024;
const rawKb = (ext: string) => readdirSync(assets).filter((n) => n.endsWith(ext)).reduce((sum, n) => sum + readFileSync(join(assets, n)).length, 0) / 1024;

const js = gzipKb(".js");
console.log(`1. JavaScript: ${js.toFixed(1)} KB gzipped (${rawKb(".js").toFixed(1)} KB raw) vs target < ${JS_TARGET_KB} KB → ratio ${(js / JS_TARGET_KB).toFixed(3)} (${js < JS_TARGET_KB ? "met" : "missed"}); CSS ${gzipKb(".css").toFixed(1)} KB gzipped`);

if (canRunBrowser("bench:web's time to first render")) await measureFirstRender();

async function measureFirstRender(): Promise<void> {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const backend = await startScriptedServer();
  const vpo = await startVpo(backend.url);
  const browser = await launchBrowser();
  try {
    const fcp: number[] = [];
    const ready: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext({ viewport: DESKTOP });
      const page = await context.newPage();
      // Stamps the moment the query box exists, from inside the page (no round trip to the test process).
      await page.addInitScript({
        content: `new MutationObserver((_, observer) => { if (document.getElementById("query")) { window.vpoReady = performance.now(); observer.disconnect(); } }).observe(document, { childList: true, subtree: true });`,
      });
      await page.goto(`${vpo.url}/`);
      await page.locator("#query").waitFor();
      const times = (await page.evaluate(`({ ready: window.vpoReady, fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN })`)) as { ready: number; fcp: number };
      fcp.push(times.fcp);
      ready.push(times.ready);
      await context.close();
    }
    const r = median(ready);
    console.log(
      `2. time to first render (median of ${LOADS} cold loads): first contentful paint ${median(fcp).toFixed(0)} ms; playground ready ${r.toFixed(0)} ms (max ${Math.max(...ready).toFixed(0)} ms) vs target < ${READY_TARGET_MS} ms → ratio ${(r / READY_TARGET_MS).toFixed(3)} (${r < READY_TARGET_MS ? "met" : "missed"})`,
    );
  } finally {
    await browser.close();
    await vpo.close();
    await backend.close();
  }
}
