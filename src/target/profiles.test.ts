import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinTargets, createTargetRegistry, loadTargets } from "./registry.js";
import { mapFlagsToTarget } from "./map-flags.js";
import type { TargetProfile } from "./types.js";

const profiles = builtinTargets();
const byId = new Map(profiles.map((p) => [p.id, p]));

/** The profile fields a source may back; every one a profile sets must be backed (a source may explain an absence). */
function factsSet(p: TargetProfile): string[] {
  return [
    "textEncoder.name",
    "textEncoder.maxTokens",
    "languages",
    "guide.words",
    "guide.style",
    "negativePrompt",
    "aspectRatios",
    ...(p.resolutions?.length ? ["resolutions"] : []),
    "fps",
    ...(p.multiShot ? ["multiShot"] : []),
  ];
}

describe("shipped target profiles", () => {
  it("cover the models the issue names", () => {
    expect([...byId.keys()].sort()).toEqual(["cogvideox", "cogvideox1.5", "cosmos", "hunyuanvideo", "hunyuanvideo1.5", "ltx-video", "opensora1.2", "wan2.1", "wan2.2"]);
  });

  it.each(profiles.map((p) => [p.id, p] as const))("%s cites a source for every fact it states", (_id, p) => {
    const cited = new Set(p.sources.map((s) => s.fact));
    for (const fact of factsSet(p).filter((f) => f !== "negativePrompt" || p.negativePrompt)) expect(cited, `${p.id}: ${fact} has no source`).toContain(fact);
    for (const s of p.sources) {
      expect(factsSet(p), `${p.id}: source for unknown fact ${s.fact}`).toContain(s.fact);
      // The model's own repository (or the Diffusers pipeline that runs it), pinned to a commit.
      expect(s.url).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[0-9a-f]{40}\/\S+$/);
      expect(s.quote ?? s.note, `${p.id}: ${s.fact} has neither a quote nor a note`).toBeTruthy();
    }
  });

  it("hold the limits read from the models' repositories", () => {
    const limits = Object.fromEntries(profiles.map((p) => [p.id, [p.textEncoder.tokenizer, p.textEncoder.maxTokens]]));
    expect(limits).toEqual({
      cogvideox: ["t5", 226],
      "cogvideox1.5": ["t5", 224],
      "wan2.1": ["umt5", 512],
      "wan2.2": ["umt5", 512],
      hunyuanvideo: ["llama", 256],
      "hunyuanvideo1.5": ["qwen", 1000],
      "ltx-video": ["t5", 128],
      "opensora1.2": ["t5", 300],
      cosmos: ["t5", 512],
    });
    // The quoted source says the number the profile holds.
    for (const p of profiles) {
      const cites = p.sources.filter((s) => s.fact === "textEncoder.maxTokens").map((s) => `${s.quote ?? ""} ${s.note ?? ""}`);
      expect(cites.join(" "), p.id).toContain(String(p.textEncoder.maxTokens));
    }
  });

  it("hold languages, frame rates and default negative prompts", () => {
    expect(byId.get("cogvideox")!.languages).toEqual(["en"]);
    expect(byId.get("wan2.1")!.languages).toEqual(["zh", "en"]);
    expect(byId.get("hunyuanvideo")!.languages).toEqual(["en"]);
    expect(byId.get("cogvideox")!.fps).toEqual([8]);
    expect(byId.get("cogvideox1.5")!.fps).toEqual([16]);
    expect(byId.get("wan2.2")!.fps).toEqual([16, 24]);
    expect(byId.get("wan2.1")!.negativePrompt).toMatch(/^色调艳丽，过曝，静态/);
    expect(byId.get("hunyuanvideo")!.negativePrompt).toMatch(/^Aerial view, aerial view, overexposed/);
    expect(byId.get("ltx-video")!.negativePrompt).toBe("worst quality, inconsistent motion, blurry, jittery, distorted");
    expect(byId.get("cosmos")!.negativePrompt).toMatch(/Overall, the video is of poor quality\.$/);
    expect(byId.get("cogvideox")!.negativePrompt).toBeUndefined();
    // Every word takes at least one token, so a guide asking for more words than the budget could never be met.
    for (const p of profiles) expect(p.guide.words[1], p.id).toBeLessThanOrEqual(p.textEncoder.maxTokens);
  });
});

describe("mapping -ar and -fps to a target", () => {
  it("keeps a supported value, maps a close one quietly and warns about a far one", () => {
    const wan = byId.get("wan2.1")!;
    expect(mapFlagsToTarget({ aspectRatio: "16:9", fps: 16, other: {} }, wan)).toEqual({ flags: { aspectRatio: "16:9", fps: 16, other: {} }, mapped: [], warnings: [] });
    const close = mapFlagsToTarget({ aspectRatio: "1.85:1", fps: 15, other: {} }, wan);
    expect(close.flags).toMatchObject({ aspectRatio: "16:9", fps: 16 });
    expect(close.warnings).toEqual([]);
    expect(close.mapped).toEqual([{ flag: "aspectRatio", from: "1.85:1", to: "16:9" }, { flag: "fps", from: "15", to: "16" }]);
    const far = mapFlagsToTarget({ aspectRatio: "1:1", fps: 60, other: {} }, byId.get("cogvideox")!);
    expect(far.flags).toMatchObject({ aspectRatio: "3:2", fps: 8 });
    expect(far.warnings).toEqual([
      "-ar 1:1 is not supported by CogVideoX (2B, 5B) (3:2): using the nearest, 3:2",
      "-fps 60 is not supported by CogVideoX (2B, 5B) (8): using the nearest, 8",
    ]);
  });

  it("maps portrait to portrait, passes flags through for targets that take any, and warns about unreadable ratios", () => {
    expect(mapFlagsToTarget({ aspectRatio: "9:19", other: {} }, byId.get("hunyuanvideo")!).flags.aspectRatio).toBe("9:16");
    expect(mapFlagsToTarget({ aspectRatio: "21:9", fps: 50, other: {} }, byId.get("ltx-video")!)).toMatchObject({ flags: { aspectRatio: "21:9", fps: 50 }, mapped: [] });
    expect(mapFlagsToTarget({ aspectRatio: "wide", other: {} }, byId.get("wan2.1")!).warnings[0]).toMatch(/^-ar wide is not a W:H ratio/);
  });
});

describe("the target registry", () => {
  it("finds a profile by id or alias in any case and names the known ones otherwise", async () => {
    const registry = await loadTargets();
    expect(registry.get("Wan").id).toBe("wan2.1");
    expect(registry.get("CogVideoX-5B").id).toBe("cogvideox");
    expect(() => registry.get("sora")).toThrow(/unknown target "sora"; known targets: cogvideox, cogvideox1.5, .*wan2.2/);
  });

  it("adds a user's own profiles from --targets-file (YAML or JSON) and rejects a malformed one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "vpo-targets-"));
    const mine = join(dir, "mine.yaml");
    await writeFile(mine, ["targets:", "  - id: my-model", "    name: My model", "    aliases: [mine]", "    textEncoder: { name: t5-base, tokenizer: t5, maxTokens: 77 }", "    languages: [en]", "    guide: { words: [20, 38], style: Short. }", "    aspectRatios: ['1:1']", "    fps: [12]"].join("\n"));
    const registry = await loadTargets({ targetsFile: mine });
    expect(registry.get("mine")).toMatchObject({ id: "my-model", textEncoder: { maxTokens: 77 } });
    expect(registry.list()).toHaveLength(profiles.length + 1);
    const bad = join(dir, "bad.json");
    await writeFile(bad, JSON.stringify({ id: "x", name: "X", textEncoder: { name: "t5", tokenizer: "t5", maxTokens: -1 }, languages: ["english"], guide: { words: [1, 2], style: "s" }, aspectRatios: [], fps: [] }));
    await expect(loadTargets({ targetsFile: bad })).rejects.toThrow(/bad\.json: not a target profile: .*maxTokens.*languages/);
    expect(() => createTargetRegistry([profiles[0]!, { ...profiles[1]!, aliases: [profiles[0]!.id] }])).toThrow(/is used by both/);
  });
});
