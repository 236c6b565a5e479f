import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveFfmpeg } from "../src/util/ffmpeg.js";
import { canRunBrowser, DESKTOP, launchBrowser, PHONE, screenshot, watchPage } from "./fixtures/browser.js";
import { startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";
import { runCli } from "./helpers/cli.js";
import { json, startVpo } from "./helpers/serve.js";

const XSS = "<img src=x onerror=alert(1)> </script>";
const QUERIES = ["a red fox in the snow", `a cat ${XSS} playing piano`, "two dolphins leaping at sunset", "a lighthouse in a storm"];
const A_PROMPTS = QUERIES.map((q, i) => `VPO rewrite ${i}: a cinematic, well-lit shot of ${q}, smooth camera motion.`);
const B_PROMPTS = QUERIES.map((q, i) => `Baseline ${i}: ${q}, highly detailed, 8k, trending.`);

/** The votes, in the systems' terms (a = the --a system), per reviewer, question and item — chosen to give round figures. */
type Vote = "a" | "b" | "tie";
const PLAN: Record<"ada" | "grace", Record<"instruction" | "quality" | "overall", Vote[]>> = {
  ada: { instruction: ["a", "a", "b", "a"], quality: ["a", "tie", "b", "a"], overall: ["a", "a", "b", "a"] },
  grace: { instruction: ["a", "a", "b", "a"], quality: ["b", "tie", "b", "a"], overall: ["a", "tie", "b", "a"] },
};
const ADA = "Ada";
const GRACE = `Grace ${XSS.slice(0, 28)}`;

/**
 * Worked by hand from PLAN (8 votes per question; Wilson 95%, z = 1.959964):
 * instruction: A 6/8, tie 0/8, B 2/8; quality: 3/8, 2/8, 3/8; overall: 5/8, 1/8, 2/8.
 * Wilson k/8: 0 → [0, 32.44%], 1 → [2.24%, 47.09%], 2 → [7.15%, 59.07%], 3 → [13.68%, 69.43%], 5 → [30.57%, 86.32%],
 * 6 → [40.93%, 92.85%].
 * Agreement (two reviewers, 4 items each): instruction agrees on 4/4 (κ 1); quality on 3/4: category totals a 3, tie 2,
 * b 3 → P_e = 0.34375, Fleiss κ = 0.40625 / 0.65625 = 13/21; Cohen: p_e = .5·.25 + .25·.25 + .25·.5 = 0.3125 →
 * κ = 0.4375 / 0.6875 = 7/11; overall on 3/4: totals a 5, tie 1, b 2 → P_e = 0.46875, Fleiss κ = 9/17; Cohen
 * p_e = .75·.5 + .25·.25 = 0.4375 → κ = 5/9.
 */
const EXPECTED = {
  instruction: { win: [6, 0.409275, 0.928521], tie: [0, 0, 0.324408], loss: [2, 0.071479, 0.590725], raw: 1, fleiss: 1, cohen: 1 },
  quality: { win: [3, 0.136844, 0.694258], tie: [2, 0.071479, 0.590725], loss: [3, 0.136844, 0.694258], raw: 0.75, fleiss: 13 / 21, cohen: 7 / 11 },
  overall: { win: [5, 0.305742, 0.863156], tie: [1, 0.022417, 0.470888], loss: [2, 0.071479, 0.590725], raw: 0.75, fleiss: 9 / 17, cohen: 5 / 9 },
} as const;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

let root: string;
let store: string;
let backend: ScriptedServer;
let vpo: Awaited<ReturnType<typeof startVpo>>;

function writeSide(name: string, prompts: string[], order: number[], video?: string): string {
  const path = join(root, name);
  writeFileSync(path, order.map((i) => JSON.stringify({ query: QUERIES[i], prompt: prompts[i], ...(i === 0 && video ? { video } : {}) })).join("\n") + "\n");
  return path;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "vpo-web-review-"));
  store = join(root, "reviews.sqlite");
  for (const [name, color] of [["a.mp4", "0x3b5bdb"], ["b.mp4", "0xb35c00"]] as const) {
    execFileSync(resolveFfmpeg().path, ["-v", "error", "-f", "lavfi", "-i", `color=c=${color}:size=160x90:rate=4:duration=1`, "-pix_fmt", "yuv420p", "-y", join(root, name)]);
  }
  writeSide("vpo.jsonl", A_PROMPTS, [0, 1, 2, 3], "a.mp4");
  writeSide("baseline.jsonl", B_PROMPTS, [3, 1, 0, 2], "b.mp4");
  const created = await runCli(["review", "create", "--name", "ab-test", "--a", join(root, "vpo.jsonl"), "--b", join(root, "baseline.jsonl"), "--a-label", "VPO", "--b-label", "baseline", "--store", store]);
  expect(created.stderr).toBe("");
  expect(created.stdout).toContain("review ab-test: 4 items (A = VPO, B = baseline)");
  backend = await startScriptedServer();
  vpo = await startVpo(backend.url, { reviews: store, limits: { bodyLimitBytes: 16 * 1024 } });
}, 60_000);
afterAll(async () => {
  await vpo?.close();
  await backend?.close();
});

const post = (path: string, body: unknown) => fetch(`${vpo.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("vpo review create", () => {
  it("refuses files with different queries or bad lines, naming the file and line", async () => {
    const other = join(root, "other.jsonl");
    writeFileSync(other, `${JSON.stringify({ query: QUERIES[0], prompt: "x" })}\n${JSON.stringify({ query: "a different query", prompt: "y" })}\n`);
    const mismatch = await runCli(["review", "create", "--name", "bad", "--a", join(root, "vpo.jsonl"), "--b", other, "--store", store]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/vpo\.jsonl line 2: query "a cat <img src=x onerror=alert\(1\)> <\/script> playing piano" is not in .*other\.jsonl/);
    writeFileSync(other, `${JSON.stringify({ query: QUERIES[0], prompt: "x" })}\nnot json\n`);
    const broken = await runCli(["review", "create", "--name", "bad", "--a", other, "--b", join(root, "vpo.jsonl"), "--store", store]);
    expect(broken.stderr).toMatch(/other\.jsonl line 2: not valid JSON/);
    const again = await runCli(["review", "create", "--name", "ab-test", "--a", join(root, "vpo.jsonl"), "--b", join(root, "baseline.jsonl"), "--store", store]);
    expect(again.stderr).toMatch(/exists already/);
  });
});

describe("the review API", () => {
  it("validates votes and names, and never tells a reviewer which system is which", async () => {
    expect((await post("/api/reviews/nope/reviewers", { reviewer: "x" })).status).toBe(404);
    expect((await post("/api/reviews/ab-test/reviewers", { reviewer: "" })).status).toBe(400);
    expect((await post("/api/reviews/ab-test/reviewers", { reviewer: "x".repeat(65) })).status).toBe(400);
    expect((await post("/api/reviews/ab-test/reviewers", { reviewer: "x".repeat(20_000) })).status).toBe(413);
    expect((await post("/api/reviews/ab-test/items/0/show", { reviewer: "nobody" })).status).toBe(400);
    const joined = await json(await post("/api/reviews/ab-test/reviewers", { reviewer: "probe" }));
    expect(joined).toEqual({ reviewer: "probe", total: 4, done: 0, next: 0 });
    const shown = await json(await post("/api/reviews/ab-test/items/1/show", { reviewer: "probe" }));
    expect(Object.keys(shown).sort()).toEqual(["position", "query", "sides", "total", "votes"]);
    expect(shown.sides.map((s: { label: string }) => s.label)).toEqual(["A", "B"]);
    expect(JSON.stringify(shown)).not.toMatch(/VPO"|baseline"|vpo\.jsonl/);
    expect((await post("/api/reviews/ab-test/items/1/votes", { reviewer: "probe", answers: { instruction: "A", quality: "C", overall: "A" } })).status).toBe(400);
    expect((await post("/api/reviews/ab-test/items/1/votes", { reviewer: "probe", answers: { instruction: "A", quality: "A" } })).status).toBe(400);
    expect((await post("/api/reviews/ab-test/items/2/votes", { reviewer: "probe", answers: { instruction: "A", quality: "A", overall: "A" } })).status).toBe(400);
    expect((await post("/api/reviews/ab-test/items/9/show", { reviewer: "probe" })).status).toBe(404);
    expect((await fetch(`${vpo.url}/api/reviews/ab-test/items/1/videos/A?reviewer=probe`)).status).toBe(404);
    // Item 0 has videos: each shown side streams the video of the system shown there.
    const first = await json(await post("/api/reviews/ab-test/items/0/show", { reviewer: "probe" }));
    for (const side of first.sides as { label: string; prompt: string; video: boolean }[]) {
      expect(side.video).toBe(true);
      const file = readFileSync(join(root, side.prompt === A_PROMPTS[0] ? "a.mp4" : "b.mp4"));
      const video = await fetch(`${vpo.url}/api/reviews/ab-test/items/0/videos/${side.label}?reviewer=probe`);
      expect(video.headers.get("content-type")).toBe("video/mp4");
      expect(Buffer.from(await video.arrayBuffer()).equals(file)).toBe(true);
      const part = await fetch(`${vpo.url}/api/reviews/ab-test/items/0/videos/${side.label}?reviewer=probe`, { headers: { range: "bytes=0-3" } });
      expect(part.status).toBe(206);
    }
    expect((await fetch(`${vpo.url}/api/reviews/ab-test/items/0/videos/C?reviewer=probe`)).status).toBe(400);
    const info = await json(await fetch(`${vpo.url}/api/reviews/ab-test`));
    expect(info.labels).toBeUndefined();
  });
});

const browserOk = canRunBrowser("blind A/B review in Chromium (test/web-review.test.ts)");

/** Which shown label ("A" or "B") holds the --a system's prompt for this item, read off the page like a person would. */
async function labelOfSystemA(page: Page, item: number): Promise<"A" | "B"> {
  const first = await page.getByRole("region", { name: "side A" }).locator(".side-prompt").textContent();
  return first === A_PROMPTS[item] ? "A" : "B";
}

async function vote(page: Page, who: "ada" | "grace", item: number, useKeys: boolean) {
  await page.getByRole("form", { name: `item ${item + 1} of 4` }).waitFor();
  expect(await page.locator(".review-query").textContent()).toBe(QUERIES[item]);
  const aIs = await labelOfSystemA(page, item);
  const shown = (v: Vote) => (v === "tie" ? "tie" : (v === "a") === (aIs === "A") ? "A" : "B");
  for (const question of ["instruction", "quality", "overall"] as const) {
    const choice = shown(PLAN[who][question][item]!);
    if (useKeys) await page.keyboard.press(choice === "tie" ? "t" : choice.toLowerCase());
    else {
      const group = page.getByRole("radiogroup", { name: { instruction: "Instruction following", quality: "Video quality", overall: "Overall preference" }[question] });
      await group.getByRole("radio", { name: choice === "tie" ? /^Tie/ : new RegExp(`^${choice} is better`) }).check();
    }
  }
  if (item === 0) await screenshot(page, `review-vote-${useKeys ? "desktop" : "phone"}`);
  if (useKeys) await page.keyboard.press("Enter");
  else await page.getByRole("button", { name: /^Save and next/ }).click();
}

async function joinAs(page: Page, url: string, name: string) {
  await page.goto(`${url}/review/ab-test`);
  await page.getByLabel("Your name").fill(name);
  await page.getByRole("button", { name: "Start reviewing" }).click();
}

describe.skipIf(!browserOk)("blind A/B review in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("two reviewers vote (keys and clicks, one stops and continues); the page and the report show the hand-computed rates, CIs and agreement", async () => {
    // Ada, at desktop width, with the keyboard; she stops after two items and comes back later.
    const ada = await browser.newContext({ viewport: DESKTOP });
    let page = await ada.newPage();
    const seenAda = watchPage(page);
    await page.goto(`${vpo.url}/review/ab-test`);
    await page.getByLabel("Your name").waitFor();
    await screenshot(page, "review-join-desktop");
    await joinAs(page, vpo.url, ADA);
    await vote(page, "ada", 0, true);
    await vote(page, "ada", 1, true);
    await page.getByRole("form", { name: "item 3 of 4" }).waitFor();
    await page.close();
    page = await ada.newPage();
    await joinAs(page, vpo.url, ADA);
    await vote(page, "ada", 2, true);
    await vote(page, "ada", 3, true);
    await page.getByText(`All 4 items answered — thank you, ${ADA}.`).waitFor();
    expect(seenAda.errors).toEqual([]);

    // Grace, at phone width, by clicking; her name holds markup.
    const grace = await browser.newContext({ viewport: PHONE });
    const gPage = await grace.newPage();
    const seenGrace = watchPage(gPage);
    await joinAs(gPage, vpo.url, GRACE);
    for (let i = 0; i < 4; i++) await vote(gPage, "grace", i, false);
    await gPage.getByText("All 4 items answered").waitFor();

    const report = JSON.parse((await runCli(["review", "report", "ab-test", "--json", "--store", store])).stdout);
    expect(report.reviewers).toEqual([ADA, GRACE]);
    for (const q of report.questions) {
      const want = EXPECTED[q.question as keyof typeof EXPECTED];
      expect(q.n).toBe(8);
      for (const part of ["win", "tie", "loss"] as const) {
        expect(q[part].count, `${q.question} ${part}`).toBe(want[part][0]);
        expect(q[part].share).toBeCloseTo(want[part][0] / 8, 12);
        expect(q[part].low).toBeCloseTo(want[part][1], 5);
        expect(q[part].high).toBeCloseTo(want[part][2], 5);
      }
      expect(q.agreement.items).toBe(4);
      expect(q.agreement.raw).toBeCloseTo(want.raw, 12);
      expect(q.agreement.fleissKappa).toBeCloseTo(want.fleiss, 12);
      expect(q.agreement.cohenKappa).toBeCloseTo(want.cohen, 12);
    }
    const text = (await runCli(["review", "report", "ab-test", "--store", store])).stdout;
    expect(text).toContain("Overall preference");
    expect(text).toContain("62.5% [30.6%, 86.3%]");

    for (const [p, width] of [
      [page, "desktop"],
      [gPage, "phone"],
    ] as const) {
      await p.goto(`${vpo.url}/review/ab-test/results`);
      await p.getByRole("table").first().waitFor();
      for (const [question, want] of Object.entries(EXPECTED)) {
        const cells = await p.locator(`.results-table tr[data-question="${question}"] td`).allTextContents();
        const cell = ([k, low, high]: readonly [number, number, number]) => `${pct(k / 8)} (${k}/8) [${pct(low)}, ${pct(high)}]`;
        expect(cells).toEqual(["8", cell(want.win), cell(want.tie), cell(want.loss)]);
        const agreement = await p.locator(`.agreement-table tr[data-question="${question}"] td`).allTextContents();
        expect(agreement).toEqual(["4", pct(want.raw), want.fleiss.toFixed(3), want.cohen.toFixed(3)]);
      }
      expect(await p.getByRole("img", { name: /^Overall preference: VPO wins 62\.5%, tie 12\.5%, baseline wins 25\.0% of 8 votes$/ }).count()).toBe(1);
      expect(await p.getByText(GRACE, { exact: false }).count()).toBe(1);
      await screenshot(p, `review-results-${width}`);
    }
    expect(await gPage.locator("img[src='x']").count()).toBe(0);
    expect([...seenAda.dialogs, ...seenGrace.dialogs]).toEqual([]);
    expect(seenGrace.errors).toEqual([]);
    await ada.close();
    await grace.close();
  });
});
