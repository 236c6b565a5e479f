import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardedOptimize, type GuardedResult, type GuardOptions } from "../src/guard/guarded-optimize.js";
import { openHttpModel } from "../src/model/openai-compatible.js";
import type { ModelClient } from "../src/model/client.js";
import { loadSafetyPolicy } from "../src/safety/policy/safety-policy.js";
import { policyScreen } from "../src/safety/policy/policy-screen.js";
import { screenSafety } from "../src/safety/screen-safety.js";
import { runCli } from "./helpers/cli.js";
import { defaultPrompt, startScriptedServer, type RecordedRequest, type ScriptedServer } from "./fixtures/scripted-server.js";

// A real dev query (labelled public_figure + violence) the lexicon screen does not flag.
const PUBLIC_FIGURE_HARMED = "Angelina Jolie smacking Brad Pitt";

let optimizer: ScriptedServer;
let classifier: ScriptedServer;
let refiner: ScriptedServer;
let models: { optimizer: ModelClient; classifier: ModelClient; refiner: ModelClient };

beforeAll(async () => {
  [optimizer, classifier, refiner] = await Promise.all([startScriptedServer(), startScriptedServer({ models: ["Llama-Guard-3-1B"] }), startScriptedServer()]);
  models = {
    optimizer: await openHttpModel({ baseUrl: optimizer.url, model: "vpo", retries: 0 }),
    classifier: await openHttpModel({ baseUrl: classifier.url, model: "guard", retries: 0 }),
    refiner: await openHttpModel({ baseUrl: refiner.url, model: "refiner", retries: 0 }),
  };
});
afterAll(async () => {
  await Promise.all(Object.values(models).map((m) => m.dispose()));
  await Promise.all([optimizer, classifier, refiner].map((s) => s.close()));
});

/** The text a classifier request asks about (Llama Guard's or Qwen3Guard's conversation line). */
const classified = (req: RecordedRequest) => /(?:User|USER): ([\s\S]*?)\n\n<END CONVERSATION>/.exec(req.userText ?? "")?.[1] ?? "";
const refined = (prompt: string) => ({ text: JSON.stringify({ reflection: "removed the harm", refined_prompt: prompt }) });

function guard(query: string, extra: Partial<GuardOptions> = {}) {
  return guardedOptimize(query, { model: models.optimizer, refiner: models.refiner, ...extra });
}

describe("guard with a safety classifier", () => {
  it("sanitizes what only the classifier sees (a public figure harmed) and names the classifier in the report", async () => {
    expect(screenSafety(PUBLIC_FIGURE_HARMED).flagged).toBe(false);
    optimizer.setScript((req) => ({ text: defaultPrompt(req) }));
    classifier.setScript((req) => ({ text: /smack/i.test(classified(req)) ? "unsafe\nS1,S5" : "safe" }));
    refiner.setScript(() => refined("A cinematic shot of Angelina Jolie and Brad Pitt laughing together on a sunlit terrace, warm light, smooth camera motion."));
    const r = await guard(PUBLIC_FIGURE_HARMED, { safety: { classifier: { model: models.classifier, format: "llamaguard3" } } });
    expect(r.report.status).toBe("sanitized");
    expect(r.prompt).toMatch(/laughing together/);
    expect(r.report.categories).toEqual(expect.arrayContaining(["violence", "public-figure"]));
    const checks = r.report.safety.checks;
    expect(checks).toContainEqual(expect.objectContaining({ stage: "input", checker: "screen", verdict: "safe" }));
    expect(checks).toContainEqual(
      expect.objectContaining({ stage: "input", checker: "classifier", model: "guard", format: "llamaguard3", verdict: "unsafe", labels: ["S1", "S5"], categories: ["violence", "public-figure"], action: "sanitize" }),
    );
    expect(checks).toContainEqual(expect.objectContaining({ stage: "output", checker: "classifier", attempt: 0, verdict: "unsafe" }));
    expect(checks).toContainEqual(expect.objectContaining({ stage: "output", checker: "classifier", attempt: 1, verdict: "safe" }));
    expect(r.report.safety.classifier).toEqual({ model: "guard", format: "llamaguard3" });
    expect(r.report.changes.join("\n")).toMatch(/input classifier \(llamaguard3\) found the query unsafe: violence, public-figure/);
    // The refiner was told what the classifier found, since there is no flagged span to name.
    expect(refiner.chatRequests().at(-1)!.userText).toMatch(/A safety classifier finds this prompt unsafe \(violence, public-figure\)/);
  });

  it("catches at the output stage what the optimizer added to a safe query", async () => {
    const query = "a knight walking through a village at dawn";
    optimizer.setScript(() => ({ text: "A knight walks through a village at dawn, then strangles a villager until he stops moving, cinematic light." }));
    classifier.setScript((req) => ({ text: /strangles/.test(classified(req)) ? "unsafe\nS1" : "safe" }));
    refiner.setScript(() => refined("A knight walks through a quiet village at dawn, mist over the rooftops, cinematic light."));
    const r = await guard(query, { safety: { classifier: { model: models.classifier, format: "llamaguard3" } } });
    const byStage = (stage: string) => r.report.safety.checks.filter((c) => c.stage === stage && c.checker === "classifier").map((c) => c.verdict);
    expect(byStage("input")).toEqual(["safe"]);
    expect(byStage("output")).toEqual(["unsafe", "safe"]);
    expect(r.report.status).toBe("sanitized");
    expect(r.prompt).not.toMatch(/strangle/);
  });

  it("refuses when the classifier still flags the prompt after every round", async () => {
    optimizer.setScript((req) => ({ text: defaultPrompt(req) }));
    classifier.setScript((req) => ({ text: /smack/i.test(classified(req)) ? "unsafe\nS1" : "safe" }));
    refiner.setScript(() => refined(`A cinematic shot of ${PUBLIC_FIGURE_HARMED} hard, slow motion.`));
    const r = await guard(PUBLIC_FIGURE_HARMED, { safety: { classifier: { model: models.classifier, format: "llamaguard3" } } });
    expect(r.prompt).toBeNull();
    expect(r.report.status).toBe("refused");
    expect(r.error?.message).toMatch(/the classifier \(llamaguard3\) still finds the prompt unsafe \(violence\)/);
  });

  it("never reports a pass when the classifier's replies cannot be read", async () => {
    optimizer.setScript((req) => ({ text: defaultPrompt(req) }));
    classifier.setScript(() => ({ text: "The request looks fine to me." }));
    const r = await guard("a red fox in the snow", { safety: { classifier: { model: models.classifier, format: "llamaguard3" } } });
    expect(r.report.status).toBe("fallback");
    expect(r.report.safety.checks.filter((c) => c.checker === "classifier").every((c) => c.verdict === "failed")).toBe(true);
    expect(r.report.changes.join("\n")).toMatch(/input classifier failed: llamaguard3 reply is not/);
  });
});

describe("controversial verdicts under each --controversial action", () => {
  const QUERY = "a politician in a swimsuit at a campaign rally";
  beforeAll(() => {
    optimizer.setScript((req) => ({ text: defaultPrompt(req) }));
    classifier.setScript((req) =>
      ({ text: /swimsuit/.test(classified(req)) ? "Safety: Controversial\nCategories: Sexual Content or Sexual Acts, Politically Sensitive Topics" : "Safety: Safe\nCategories: None" }),
    );
    refiner.setScript(() => refined("A politician in a suit waving at a campaign rally, flags and confetti, cinematic light."));
  });
  const run = (controversial?: "pass" | "sanitize" | "refuse") =>
    guard(QUERY, { safety: { classifier: { model: models.classifier, format: "qwen3guard" }, ...(controversial ? { controversial } : {}) } });

  it("pass: reports it and keeps the optimizer's prompt", async () => {
    const r = await run("pass");
    expect(r.report.status).toBe("passed");
    expect(r.prompt).toContain("swimsuit");
    expect(r.report.safety.controversial).toBe("pass");
    expect(r.report.safety.checks).toContainEqual(expect.objectContaining({ stage: "input", checker: "classifier", verdict: "controversial", action: "pass", categories: ["sexual", "political"] }));
  });

  it("sanitize (the default): refines until the classifier finds the prompt safe", async () => {
    const r = await run();
    expect(r.report.safety.controversial).toBe("sanitize");
    expect(r.report.status).toBe("sanitized");
    expect(r.prompt).not.toContain("swimsuit");
    expect(r.report.safety.checks.filter((c) => c.stage === "output" && c.checker === "classifier").map((c) => c.verdict)).toEqual(["controversial", "safe"]);
  });

  it("refuse: no prompt, and the optimizer is never called", async () => {
    const before = optimizer.chatRequests().length;
    const r = await run("refuse");
    expect(r.report.status).toBe("refused");
    expect(r.prompt).toBeNull();
    expect(r.error?.code).toBe("refused");
    expect(optimizer.chatRequests().length).toBe(before);
  });
});

describe("a safety policy file", () => {
  const dir = mkdtempSync(join(tmpdir(), "vpo-policy-"));
  const file = join(dir, "studio.yaml");
  writeFileSync(
    file,
    ["name: crime-drama studio", "controversial: refuse", "categories:", "  drugs: off", "  public-figure: refuse", "allow:", "  - corpse", "block:", "  - term: acme*", "    category: copyright", ""].join("\n"),
  );
  const policy = loadSafetyPolicy(file);
  const screen = policyScreen(policy, screenSafety);

  it("switches categories off, allows domain terms and blocks its own terms through the screen", () => {
    expect(screenSafety("a man smoking weed on a porch").categories).toContain("drugs");
    expect(screen("a man smoking weed on a porch").flagged).toBe(false);
    expect(screenSafety("a detective kneels beside a corpse").flagged).toBe(true);
    expect(screen("a detective kneels beside a corpse").flagged).toBe(false);
    expect(screen("an ACME rocket skate").matches).toEqual([expect.objectContaining({ category: "copyright", text: "ACME" })]);
    expect(policy.hash).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it("applies the category's action to the classifier's verdict and stamps the policy hash on the report", async () => {
    optimizer.setScript((req) => ({ text: defaultPrompt(req) }));
    classifier.setScript((req) => ({ text: /smack/i.test(classified(req)) ? "unsafe\nS5" : "safe" }));
    const r = await guard(PUBLIC_FIGURE_HARMED, { screen, safety: { classifier: { model: models.classifier, format: "llamaguard3" }, policy } });
    expect(r.report.status).toBe("refused");
    expect(r.report.changes).toContain("refused at the input stage (public-figure)");
    expect(r.report.safety.policy).toEqual({ source: file, hash: policy.hash });
    expect(r.report.safety.controversial).toBe("refuse");
  });

  it("lets a category's own action override --policy: violence sanitized even under --policy refuse", async () => {
    const lenient = join(dir, "lenient.yaml");
    writeFileSync(lenient, "categories:\n  violence: sanitize\n");
    optimizer.setScript((req) => ({ text: defaultPrompt(req) }));
    classifier.setScript((req) => ({ text: /smack/i.test(classified(req)) ? "unsafe\nS1" : "safe" }));
    refiner.setScript(() => refined("A cinematic shot of Angelina Jolie and Brad Pitt laughing together on a terrace."));
    const options = { safety: { classifier: { model: models.classifier, format: "llamaguard3" as const }, policy: loadSafetyPolicy(lenient) } };
    expect((await guard(PUBLIC_FIGURE_HARMED, { ...options, policy: "refuse" })).report.status).toBe("sanitized");
    expect((await guard(PUBLIC_FIGURE_HARMED, { safety: { classifier: options.safety.classifier }, policy: "refuse" })).report.status).toBe("refused");
  });

  it("rejects a policy with an unknown action, naming the file", () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "categories:\n  violence: ignore\n");
    expect(() => loadSafetyPolicy(bad)).toThrow(/bad\.yaml: invalid safety policy/);
  });
});

describe("vpo optimize --guard --safety-*", () => {
  it("opens the classifier from --safety-base-url, detects its format from the server's model name, and reports it", async () => {
    optimizer.setScript((req) => ({ text: defaultPrompt(req) }));
    classifier.setScript((req) => ({ text: /smack/i.test(classified(req)) ? "unsafe\nS1,S5" : "safe" }));
    const args = ["optimize", PUBLIC_FIGURE_HARMED, "--guard", "--json", "--base-url", optimizer.url, "--model", "vpo", "--retries", "0"];
    const safety = ["--safety-base-url", classifier.url, "--safety-retries", "0", "--judge-base-url", refiner.url, "--judge-model", "refiner"];
    // The judge server answers judge requests with an aligned verdict and refine requests with a refined prompt.
    refiner.setScript((req) =>
      req.body?.response_format?.json_schema?.name === "response" && /refined_prompt/.test(JSON.stringify(req.body.response_format))
        ? refined("A cinematic shot of Angelina Jolie and Brad Pitt laughing together on a terrace.")
        : { text: JSON.stringify({ harmless: { ok: true, issues: [] }, accurate: { ok: true, missing: [] }, helpful: { ok: true, issues: [] }, category: "aligned", critique: "" }) },
    );
    const r = await runCli([...args, ...safety]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as GuardedResult;
    expect(result.report.safety.classifier).toEqual({ model: "Llama-Guard-3-1B", format: "llamaguard3" });
    expect(result.report.safety.checks).toContainEqual(expect.objectContaining({ stage: "input", checker: "classifier", verdict: "unsafe" }));
    expect(result.report.status).toBe("sanitized");
  });
});
