import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { queryOf, startScriptedServer, type RecordedRequest, type ScriptedServer } from "./fixtures/scripted-server.js";
import { runCli } from "./helpers/cli.js";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const isShotPlan = (req: RecordedRequest) => String(req.body!.messages[0]!.content).startsWith("Split this video prompt");
const plan = JSON.stringify({
  shots: [
    { description: "A chef tosses vegetables in a flaming wok", action: "flames leap up", camera: "close-up", duration: 2 },
    { description: "The chef plates the stir-fry on a white dish", action: "steam rises", camera: "slow pull back", duration: 3 },
  ],
});

describe("vpo optimize --format", () => {
  it("prints the prompt spec as JSON: prompt, negative prompt, typed flags, language", async () => {
    server = await startScriptedServer({ script: (req) => ({ text: `A slow cinematic shot of ${queryOf(req.userText).replace(/ -.*/, "")}, golden light.` }) });
    const r = await runCli(["optimize", "a red fox in the snow -ar 16:9 -fps 24 -neg blurry, extra legs --v 5", "--base-url", server.url, "--model", "m", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      prompt: "A slow cinematic shot of a red fox in the snow, golden light.",
      negativePrompt: "blurry, extra legs",
      flags: { aspectRatio: "16:9", fps: 24 },
      language: { detected: "en", output: "en" },
      status: "ok",
    });
    const yaml = await runCli(["optimize", "a red fox in the snow -neg blurry", "--base-url", server.url, "--model", "m", "--format", "yaml"]);
    expect(parse(yaml.stdout)).toMatchObject({ negativePrompt: "blurry", flags: {}, status: "ok" });
    const text = await runCli(["optimize", "a red fox in the snow -neg blurry", "--base-url", server.url, "--model", "m"]);
    expect(text.stdout).toBe("A slow cinematic shot of a red fox in the snow, golden light.\nNegative prompt: blurry\n");
  });

  it("writes a batch's specs beside its results file, in input order", async () => {
    server = await startScriptedServer({ script: (req) => ({ text: `A vivid shot of ${queryOf(req.userText).replace(/ -.*/, "")}.` }) });
    const dir = mkdtempSync(join(tmpdir(), "vpo-shape-"));
    writeFileSync(join(dir, "q.txt"), "a cat -neg dogs\na boat at sea -ar 9:16\n");
    const r = await runCli(["optimize", "-i", join(dir, "q.txt"), "-o", join(dir, "out.jsonl"), "--base-url", server.url, "--model", "m", "--format", "yaml", "-c", "2"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`2 prompt specs (yaml) → ${join(dir, "out.prompts.yaml")}`);
    expect(parse(readFileSync(join(dir, "out.prompts.yaml"), "utf8"))).toEqual([
      { index: 0, prompt: "A vivid shot of a cat.", negativePrompt: "dogs", flags: {}, language: { detected: "en", output: "en" }, status: "ok" },
      { index: 1, prompt: "A vivid shot of a boat at sea.", flags: { aspectRatio: "9:16" }, language: { detected: "en", output: "en" }, status: "ok" },
    ]);
  });

  it("refuses --json with --format", async () => {
    const r = await runCli(["optimize", "a cat", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--json", "--format", "json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("use --json (the whole result) or --format (the prompt spec), not both");
  });
});

describe("vpo optimize --shots and --keep", () => {
  it("prints a two-shot prompt and its plan", async () => {
    server = await startScriptedServer({ script: (req) => ({ text: isShotPlan(req) ? plan : "A chef cooks a stir-fry in a busy kitchen." }) });
    const r = await runCli(["optimize", "a chef cooking", "--base-url", server.url, "--model", "m", "--shots", "2", "--format", "json"]);
    expect(r.code).toBe(0);
    const spec = JSON.parse(r.stdout);
    expect(spec.prompt).toBe(
      "Shot 1 (0-2s, camera: close-up): A chef tosses vegetables in a flaming wok. Action: flames leap up.\nShot 2 (2-5s, camera: slow pull back): The chef plates the stir-fry on a white dish. Action: steam rises.",
    );
    expect(spec.shots.map((s: { duration: number }) => s.duration)).toEqual([2, 3]);
    const asked = server.chatRequests().find(isShotPlan)!;
    expect(asked.body!.response_format).toMatchObject({ type: "json_schema" });
  });

  it("keeps a --keep term the model dropped and says how", async () => {
    server = await startScriptedServer({ script: (req) => ({ text: req.body!.messages.length > 1 ? "sks dog runs across a meadow at dawn." : "A dog runs across a meadow at dawn." }) });
    const r = await runCli(["optimize", "my dog in a meadow", "--base-url", server.url, "--model", "m", "--keep", "sks dog, <lora:meadow:0.6>", "--json"]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.prompt).toBe("sks dog runs across a meadow at dawn. <lora:meadow:0.6>");
    expect(result.protectedTerms).toEqual([
      { text: "sks dog", source: "keep", kept: "re-asked" },
      { text: "<lora:meadow:0.6>", source: "keep", kept: "inserted" },
    ]);
  });
});
