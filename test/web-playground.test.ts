/**
 * The playground in Chromium over a real vpo server and scripted model backends: candidates with reports and diffs,
 * the sanitized badge with flagged spans, edit and re-check, text that looks like markup, and a backend going away.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canRunBrowser, DESKTOP, launchBrowser, PHONE, screenshot, watchPage } from "./fixtures/browser.js";
import { queryOf, startScriptedServer, type RecordedRequest, type ScriptedServer } from "./fixtures/scripted-server.js";
import { ApiKeys, parseApiKeys } from "../src/server/api-keys.js";
import { startVpo } from "./helpers/serve.js";

const XSS = "<img src=x onerror=alert(1)>";
const CORGIS = 'three corgis surfing a giant wave "ALOHA" -ar 16:9 -neg blurry';
const CORGI_PROMPTS = [
  'Three corgis surf a giant turquoise wave at golden hour, a banner reading "ALOHA" flapping behind them as spray catches the light.',
  'Three fluffy corgis ride a giant wave side by side in a low tracking shot, a beach sign reading "ALOHA", vivid summer colours.',
  'Three corgis surf a rolling wave under a bright sky, a sign reading "ALOHA" on the shore, playful splashes everywhere.',
];

const FOX = "a red fox chasing a white owl through a snowy forest";
/** By seed: the owl left out, everything kept, the colours and the snow left out. */
const FOX_PROMPTS = [
  "A red fox runs through a snowy forest at dusk, its breath misting in the cold air.",
  "A red fox chases a white owl through a snowy forest at dusk, snow falling from the branches.",
  "A fox chases an owl between tall trees at dusk, soft light through the branches.",
];

/** The optimizer: fox variants by seed (pick the best), corgi variants by seed, an unsafe first draft for unsafe queries, markup when the query has some. */
function optimizer(request: RecordedRequest) {
  const query = queryOf(request.userText);
  const seed = Number(request.body?.seed ?? 0);
  if (query.includes("slow")) return { text: "A snail crosses a garden path at dawn.", delayMs: 20_000 };
  if (query.includes("<img")) return { text: `A neon sign that reads ${XSS} and </script> glows above a cat at night.` };
  if (query.includes("naked")) return { text: "A naked woman dancing barefoot on a moonlit beach, waves glowing softly behind her." };
  if (query.includes("fox")) return { text: FOX_PROMPTS[seed % 3]! };
  if (query.includes("corgis")) return { text: CORGI_PROMPTS[seed % 3]! };
  return { text: `A cinematic shot of ${query}, in soft natural light.` };
}

const verdict = (category: string, extra: object = {}) => ({
  harmless: { ok: category !== "unsafe", issues: category === "unsafe" ? ["nudity"] : [] },
  accurate: { ok: true, missing: [], added: [] },
  helpful: { ok: true, issues: [] },
  category,
  critique: category === "unsafe" ? "Remove the nudity and keep the dance on the beach." : "",
  ...extra,
});

/** The judge and refiner: unsafe for nudity, aligned otherwise; a refinement keeps the dance and drops the nudity. */
function judgeModel(request: RecordedRequest) {
  const refine = JSON.stringify(request.body?.response_format ?? "").includes("refined_prompt");
  if (refine) return { text: JSON.stringify({ reflection: "removed the nudity", refined_prompt: "Katrina Kaif dancing barefoot on a moonlit beach in a flowing summer dress, waves glowing softly behind her." }) };
  const prompt = /Prompt[^:]*:\s*([\s\S]*)$/i.exec(request.userText ?? "")?.[1] ?? "";
  return { text: JSON.stringify(verdict(/naked/i.test(prompt) ? "unsafe" : "aligned")) };
}

const browserOk = canRunBrowser("the playground in Chromium (test/web-playground.test.ts)");

describe.skipIf(!browserOk)("the playground in Chromium", () => {
  let backend: ScriptedServer;
  let judge: ScriptedServer;
  let vpo: Awaited<ReturnType<typeof startVpo>>;
  let browser: Browser;

  beforeAll(async () => {
    backend = await startScriptedServer({ script: optimizer });
    judge = await startScriptedServer({ script: judgeModel });
    vpo = await startVpo(backend.url, { judge: { baseUrl: judge.url, model: "judge-model", retries: 0 } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await vpo?.close();
    await backend?.close();
    await judge?.close();
  });

  async function open(viewport: { width: number; height: number } = DESKTOP): Promise<{ context: BrowserContext; page: Page; seen: ReturnType<typeof watchPage> }> {
    const context = await browser.newContext({ viewport, colorScheme: "light" });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: vpo.url });
    const page = await context.newPage();
    const seen = watchPage(page);
    await page.goto(`${vpo.url}/`);
    await page.getByText("judge-model").waitFor();
    return { context, page, seen };
  }

  async function runQuery(page: Page, query: string, settings: { candidates?: number; guard?: string; seed?: number } = {}) {
    await page.getByLabel("Query", { exact: true }).fill(query);
    await page.getByLabel("Seed", { exact: true }).fill(String(settings.seed ?? 0));
    await page.getByLabel("Candidates", { exact: true }).fill(String(settings.candidates ?? 3));
    if (settings.guard) await page.getByLabel("Guard", { exact: true }).selectOption(settings.guard);
    await page.getByLabel("Query", { exact: true }).press("Control+Enter");
  }

  const card = (page: Page, n: number) => page.getByRole("article", { name: `candidate ${n}` });

  it("turns a query into 3 candidates side by side, each with its guard report, diff, judge verdict and length", async () => {
    const { context, page, seen } = await open();
    try {
      await page.getByLabel("Query", { exact: true }).fill(CORGIS);
      const chips = page.getByRole("list", { name: "Flags read from the query" });
      await chips.getByText("16:9").waitFor();
      expect(await chips.getByTestId("flag-chip").allTextContents()).toEqual(["aspect ratio 16:9", "negative prompt blurry"]);
      await runQuery(page, CORGIS);
      for (const n of [1, 2, 3]) {
        const c = card(page, n);
        await c.getByTestId("checks").waitFor();
        expect(await c.getByTestId("guard-status").textContent()).toMatch(/^passed/);
        expect(await c.getByTestId("candidate-prompt").textContent()).toBe(CORGI_PROMPTS[(n - 1) % 3]);
        expect(await c.locator("ins.added").count()).toBeGreaterThan(0);
        expect(await c.getByTestId("judge-category").textContent()).toBe("aligned");
        expect(await c.getByTestId("prompt-length").textContent()).toMatch(/^\d+ words · \d+ chars$/);
        await c.getByText(/Guard report/).waitFor();
      }
      // The third candidate lost the query's "giant": the diff lists it as dropped.
      expect(await card(page, 3).getByTestId("dropped-item").allTextContents()).toEqual([expect.stringContaining("giant")]);
      // Side by side at desktop width: the three cards share one row.
      const tops = await Promise.all([1, 2, 3].map(async (n) => (await card(page, n).boundingBox())!.y));
      expect(new Set(tops).size).toBe(1);
      // Accept: JSON for the video tool, with the typed flags and the candidate's seed.
      await card(page, 2).getByRole("button", { name: "Copy candidate 2 as JSON" }).click();
      await card(page, 2).getByText("Copied as JSON.").waitFor();
      const copied = JSON.parse(String(await page.evaluate("navigator.clipboard.readText()"))) as Record<string, unknown>;
      expect(copied).toMatchObject({ prompt: CORGI_PROMPTS[1], aspectRatio: "16:9", negativePrompt: "blurry", seed: 1 });
      // History keeps the query across a reload; a click puts it back.
      await page.reload();
      await page.getByRole("button", { name: CORGIS }).click();
      expect(await page.getByLabel("Query", { exact: true }).inputValue()).toBe(CORGIS);
      await runQuery(page, CORGIS);
      await card(page, 3).getByTestId("checks").waitFor();
      await screenshot(page, "playground-desktop");
      await page.setViewportSize(PHONE);
      const phoneTops = await Promise.all([1, 2, 3].map(async (n) => (await card(page, n).boundingBox())!.y));
      expect(new Set(phoneTops).size).toBe(3);
      await screenshot(page, "playground-phone");
      // Every control has a name, and the keyboard reaches Optimize from the query box.
      const unnamed = await page.evaluate(`[...document.querySelectorAll("main input, main select, main textarea, main button, main summary")]
        .filter((el) => !(el.labels?.length || el.getAttribute("aria-label") || el.textContent.trim())).map((el) => el.outerHTML)`);
      expect(unnamed).toEqual([]);
      await page.getByLabel("Query", { exact: true }).focus();
      let focused = "";
      for (let i = 0; i < 12 && focused !== "Optimize"; i++) {
        await page.keyboard.press("Tab");
        focused = String(await page.evaluate("document.activeElement?.textContent?.trim() ?? ''"));
      }
      expect(focused).toBe("Optimize");
      await page.getByRole("button", { name: "Clear history" }).click();
      await page.getByText("Queries you run appear here").waitFor();
      expect(seen.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("shows an unsafe query's sanitized badge, with the flagged spans marked in the query and the first draft", async () => {
    const { context, page, seen } = await open();
    try {
      const query = "katrina kaif naked dancing on a beach";
      await page.getByLabel("Query", { exact: true }).fill(query);
      await page.locator(".chip-unsafe", { hasText: "naked" }).waitFor();
      await runQuery(page, query, { candidates: 1 });
      const c = card(page, 1);
      await c.getByTestId("checks").waitFor();
      expect(await c.getByTestId("guard-status").textContent()).toMatch(/^sanitized/);
      const report = c.getByRole("region", { name: "Guard report" });
      expect(await report.locator("mark.flagged").allTextContents()).toEqual(["naked", "naked"]);
      expect(await report.getByLabel("the query with flagged spans marked").textContent()).toBe(query);
      expect(await report.getByRole("list", { name: "What the guard did" }).textContent()).toMatch(/refined/);
      expect(await c.getByTestId("candidate-prompt").textContent()).not.toMatch(/naked/i);
      await screenshot(page, "playground-sanitized");
      // The refuse policy: no prompt, the refused badge and the reason.
      await runQuery(page, query, { candidates: 1, guard: "refuse" });
      await c.getByText("refused: the query asks for sexual content").waitFor();
      expect(await c.getByTestId("guard-status").textContent()).toMatch(/^refused/);
      expect(await c.getByRole("button", { name: "Copy candidate 1 as text" }).count()).toBe(0);
      expect(seen.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("re-checks an edited candidate: screen, intent and judge on the new text", async () => {
    const { context, page, seen } = await open();
    try {
      await runQuery(page, CORGIS, { candidates: 1 });
      const c = card(page, 1);
      await c.getByTestId("checks").waitFor();
      expect(await c.getByTestId("checks").textContent()).toContain("no problems");
      await c.getByRole("button", { name: "Edit candidate 1" }).click();
      const editor = c.getByLabel("Edit candidate 1");
      await editor.fill("Corgis on a giant wave, one of them naked, at sunset.");
      await editor.press("Control+Enter");
      await c.getByText("Re-checked:").waitFor();
      expect(await c.getByTestId("checks").locator(".badge").allTextContents()).toEqual(expect.arrayContaining(["unsafe", "imprecise"]));
      expect(await c.getByTestId("dropped-item").allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining("three"), expect.stringContaining("ALOHA")]));
      expect(await c.getByTestId("judge-category").textContent()).toBe("unsafe");
      expect(await c.getByTestId("candidate-prompt").locator("mark.flagged").allTextContents()).toEqual(["naked"]);
      await c.getByText("edited", { exact: true }).waitFor();
      await screenshot(page, "playground-edited");
      expect(seen.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("stops a run: candidates still waiting give up their requests and say so", async () => {
    const { context, page, seen } = await open();
    try {
      await runQuery(page, "a slow snail in a garden", { candidates: 2 });
      await card(page, 2).getByText("Optimizing, then checking with the guard…").waitFor();
      await page.getByRole("button", { name: "Stop" }).click();
      await card(page, 1).getByText("Stopped.").waitFor();
      await card(page, 2).getByText("Stopped.").waitFor();
      expect(await page.getByRole("button", { name: "Stop" }).count()).toBe(0);
      expect(seen.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("picks the best of 3 by the checks in one request: the winner badged, every card ranked, the why above them", async () => {
    const { context, page, seen } = await open();
    const optimizeBodies: unknown[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && new URL(r.url()).pathname === "/v1/optimize") optimizeBodies.push(r.postDataJSON());
    });
    try {
      // With a judge on this server, every method is offered.
      expect(await page.locator("#select-best option:disabled").count()).toBe(0);
      await page.getByLabel("Pick the best", { exact: true }).selectOption("checks");
      expect(await page.getByLabel("Guard", { exact: true }).isDisabled()).toBe(true);
      expect(await page.getByTestId("guard-hint").textContent()).toMatch(/unguarded candidates/);
      await runQuery(page, FOX);
      await page.getByTestId("selection-why").waitFor();
      for (const n of [1, 2, 3]) {
        await card(page, n).getByTestId("checks").waitFor();
        expect(await card(page, n).getByTestId("candidate-prompt").textContent()).toBe(FOX_PROMPTS[n - 1]);
      }
      // The one that keeps the fox, the owl, their colours and the snow wins; the others rank below it.
      expect(await page.getByTestId("best-badge").count()).toBe(1);
      expect(await card(page, 2).getByTestId("best-badge").count()).toBe(1);
      expect(await card(page, 2).getByTestId("selection-rank").textContent()).toBe("rank 1");
      const ranks = await Promise.all([1, 3].map((n) => card(page, n).getByTestId("selection-rank").textContent()));
      expect(ranks.sort()).toEqual(["rank 2", "rank 3"]);
      expect(await card(page, 2).getByTestId("selection-scores").textContent()).toContain("intent 100% kept");
      expect(await page.getByTestId("selection-why").textContent()).toMatch(/^Best of 3 by checks: Candidate 2 won by checks: .*\(over candidate [13]\)\.$/);
      expect(optimizeBodies).toEqual([expect.objectContaining({ query: FOX, n: 3, select: "checks", guard: false, sampling: { seed: 0 } })]);
      expect(seen.errors).toEqual([]);
      await screenshot(page, "playground-select");
      await page.setViewportSize(PHONE);
      const phoneTops = await Promise.all([1, 2, 3].map(async (n) => (await card(page, n).boundingBox())!.y));
      expect(new Set(phoneTops).size).toBe(3);
      await page.setViewportSize(DESKTOP);
      // Stop gives up the one request: every card says so, and no why appears.
      await runQuery(page, "a slow snail in a garden", { candidates: 2 });
      await card(page, 2).getByText("Sampling 2 candidates, then picking the best…").waitFor();
      await page.getByRole("button", { name: "Stop" }).click();
      await card(page, 1).getByText("Stopped.").waitFor();
      await card(page, 2).getByText("Stopped.").waitFor();
      expect(await page.getByTestId("selection-why").count()).toBe(0);
      expect(optimizeBodies).toHaveLength(2);
    } finally {
      await context.close();
    }
  });

  it("renders a query and a model reply with markup as text: no element made, no script run", async () => {
    const { context, page, seen } = await open();
    try {
      const query = `a cat under a sign ${XSS} </script><script>alert(2)</script>`;
      await runQuery(page, query, { candidates: 2, guard: "off" });
      const c = card(page, 1);
      await c.getByTestId("checks").waitFor();
      expect(await c.getByTestId("candidate-prompt").textContent()).toBe(`A neon sign that reads ${XSS} and </script> glows above a cat at night.`);
      expect(await c.locator(".diff-text").textContent()).toContain(XSS);
      expect(await c.getByText("unguarded").count()).toBe(1);
      await page.reload();
      await page.getByRole("button", { name: query }).waitFor();
      expect(await page.locator("main img, main script").count()).toBe(0);
      expect(seen.dialogs).toEqual([]);
      expect(seen.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe.skipIf(!browserOk)("the playground when the backend stops", () => {
  it("shows the model-backend banner, then the server banner, and keeps the page", async () => {
    const backend = await startScriptedServer();
    const vpo = await startVpo(backend.url);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: DESKTOP });
      const seen = watchPage(page);
      await page.goto(`${vpo.url}/`);
      await page.getByLabel("Query", { exact: true }).fill("a red fox in the snow");
      await backend.close();
      await page.getByLabel("Query", { exact: true }).press("Control+Enter");
      const banner = page.getByTestId("backend-banner");
      await banner.getByText("The model backend is down").waitFor({ timeout: 15_000 });
      await page.getByRole("article", { name: "candidate 1" }).getByRole("alert").waitFor();
      await screenshot(page, "playground-model-down");
      await vpo.close();
      await banner.getByText("The vpo server is not reachable").waitFor({ timeout: 15_000 });
      expect(await page.getByLabel("Query", { exact: true }).inputValue()).toBe("a red fox in the snow");
      expect(seen.errors).toEqual([]);
    } finally {
      await browser.close();
      await vpo.close().catch(() => undefined);
      await backend.close().catch(() => undefined);
    }
  });
});

describe.skipIf(!browserOk)("the playground behind API keys", () => {
  it("says the server wants a key, then loads once one is saved", async () => {
    const backend = await startScriptedServer();
    const vpo = await startVpo(backend.url, { apiKeys: new ApiKeys(parseApiKeys("sk-vpo-page\n", "keys.txt")) });
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: DESKTOP });
      const seen = watchPage(page);
      await page.goto(`${vpo.url}/`);
      await page.getByRole("alert").getByText("The server wants an API key.").waitFor();
      await page.getByRole("button", { name: "API key" }).click();
      await page.getByLabel("API key").fill("sk-vpo-page");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByLabel("Query", { exact: true }).fill("a paper boat on a rainy street -ar 9:16");
      await page.getByTestId("flag-chip").getByText("9:16").waitFor();
      await page.getByLabel("Query", { exact: true }).press("Control+Enter");
      await page.getByRole("article", { name: "candidate 3" }).getByTestId("checks").waitFor();
      // This server has no judge: picking the best offers the checks only, and says what the others need.
      expect(await page.locator("#select-best option:disabled").evaluateAll((os) => os.map((o) => o.getAttribute("value")))).toEqual(["judge", "tournament"]);
      await page.getByText("Judge and tournament need a judge model").waitFor();
      expect(seen.errors).toEqual([]);
    } finally {
      await browser.close();
      await vpo.close();
      await backend.close();
    }
  });
});
