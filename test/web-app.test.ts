import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiKeys, parseApiKeys } from "../src/server/api-keys.js";
import { CONTENT_SECURITY_POLICY, DEFAULT_WEB_DIR } from "../src/server/routes/web.js";
import { canRunBrowser, DESKTOP, launchBrowser, watchPage } from "./fixtures/browser.js";
import { startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";
import { startVpo } from "./helpers/serve.js";

const KEY = "sk-vpo-web";
let backend: ScriptedServer;
let vpo: Awaited<ReturnType<typeof startVpo>>;

beforeAll(async () => {
  backend = await startScriptedServer();
  vpo = await startVpo(backend.url, { apiKeys: new ApiKeys(parseApiKeys(`${KEY}\n`, "keys.txt")) });
});
afterAll(async () => {
  await vpo?.close();
  await backend?.close();
});

describe("the web app's files (served by vpo serve)", () => {
  it("serves the built index at each page path without a key, with a CSP that forbids inline and foreign scripts", async () => {
    for (const path of ["/", "/runs", "/runs/some-run", "/review", "/review/team-a"]) {
      const page = await fetch(`${vpo.url}${path}`);
      expect(page.status, path).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(page.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
      expect(page.headers.get("x-frame-options")).toBe("DENY");
      const html = await page.text();
      expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
      expect(html).not.toMatch(/<script(?![^>]*src=)[^>]*>/); // no inline script
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe-inline");
  });

  it("serves the hashed assets immutable, and the API still wants its key", async () => {
    const html = await (await fetch(`${vpo.url}/`)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const asset = await fetch(`${vpo.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect((await asset.text()).length).toBeGreaterThan(1000);
    const api = await fetch(`${vpo.url}/v1/optimize`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"a cat"}' });
    expect(api.status).toBe(401);
  });

  it("serves nothing outside the built app: traversal, encoded traversal and unknown names are 404", async () => {
    for (const path of ["/assets/../package.json", "/assets/%2e%2e%2fpackage.json", "/assets/..%2F..%2Fpackage.json", "/assets/index.html", "/assets/nope.js", "/runs/../../package.json"]) {
      const response = await fetch(`${vpo.url}${path}`);
      const body = await response.text();
      expect(body, path).not.toContain('"name": "vpo"');
      if (!path.startsWith("/runs")) expect(response.status, path).toBe(404);
    }
  });

  it("says how to build the app when it was not built, and can be turned off", async () => {
    const empty = mkdtempSync(join(tmpdir(), "vpo-web-"));
    const unbuilt = await startVpo(backend.url, { web: { dir: empty } });
    try {
      const page = await fetch(`${unbuilt.url}/`);
      expect(page.status).toBe(503);
      expect(await page.text()).toContain("npm run build");
    } finally {
      await unbuilt.close();
    }
    const off = await startVpo(backend.url, { web: false });
    try {
      expect((await fetch(`${off.url}/`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });

  it("serves only the files the build made, even if something else lands in the directory later", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vpo-web-"));
    mkdirSync(join(dir, "assets"));
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>t</title>");
    writeFileSync(join(dir, "assets", "app.js"), "console.log(1)");
    const app = await startVpo(backend.url, { web: { dir } });
    try {
      writeFileSync(join(dir, "assets", "late.js"), "console.log(2)");
      expect((await fetch(`${app.url}/assets/app.js`)).status).toBe(200);
      expect((await fetch(`${app.url}/assets/late.js`)).status).toBe(404);
    } finally {
      await app.close();
    }
  });

  it("is the package's build output", () => {
    expect(DEFAULT_WEB_DIR.replace(/\\/g, "/")).toMatch(/\/dist\/web\/$/);
  });
});

const browserOk = canRunBrowser("the web app in Chromium (test/web-app.test.ts)");

describe.skipIf(!browserOk)("the web app in Chromium", () => {
  it("renders the navigation with no script error, and shows a banner when the server stops", async () => {
    const backend2 = await startScriptedServer();
    const local = await startVpo(backend2.url);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: DESKTOP });
      const seen = watchPage(page);
      await page.goto(`${local.url}/`);
      await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Runs" }).click();
      await expect.poll(() => page.evaluate("location.pathname")).toBe("/runs");
      expect(await page.getByTestId("backend-banner").count()).toBe(0);
      await local.close();
      await page.getByTestId("backend-banner").waitFor({ timeout: 15_000 });
      expect(await page.getByTestId("backend-banner").textContent()).toContain("not reachable");
      expect(seen.errors).toEqual([]);
    } finally {
      await browser.close();
      await local.close().catch(() => undefined);
      await backend2.close();
    }
  });
});
