import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startScriptedServer, type ScriptedServer } from "../../test/fixtures/scripted-server.js";
import { writeStandIns } from "../../test/fixtures/stand-in-commands.js";
import { openHttpModel } from "../model/openai-compatible.js";
import { resolveFfmpeg } from "../util/ffmpeg.js";
import { sha256File } from "../util/files.js";
import { checklistScore, loadChecklist } from "./checklist.js";
import { CommandRewardBackend } from "./command-reward.js";
import { HttpRewardBackend } from "./http-reward.js";
import { RewardCache } from "./reward-cache.js";
import { VlmRewardBackend } from "./vlm-reward.js";

const checklist = loadChecklist();
const tmp = () => mkdtempSync(join(tmpdir(), "vpo-reward-"));
const lines = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : []);

/** A real 3-second test-pattern video. */
function makeVideo(dir: string, seconds = 3): string {
  const path = join(dir, "clip.mp4");
  execFileSync(resolveFfmpeg().path, ["-v", "error", "-nostdin", "-f", "lavfi", "-i", `testsrc=size=96x64:rate=8:duration=${seconds}`, "-pix_fmt", "yuv420p", "-y", path]);
  return path;
}

async function request(video: string, query = "a cat", prompt = "a fluffy cat") {
  return { videoPath: video, videoSha256: await sha256File(video), query, prompt };
}

let scripted: ScriptedServer | undefined;
let http: Server | undefined;
afterEach(async () => {
  await scripted?.close();
  scripted = undefined;
  await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
  http = undefined;
});

describe("CommandRewardBackend", () => {
  it("scores 64 answers with the checklist weights, caches by content, and reports garbage and crashes", async () => {
    const root = tmp();
    const s = writeStandIns(join(root, "bin"));
    const video = makeVideo(root);
    const backend = new CommandRewardBackend({ command: s.rewardCmd, checklist, cache: new RewardCache(join(root, "cache")) });
    const reward = await backend.score(await request(video));
    expect(reward.answers).toHaveLength(64);
    expect(reward.score).toBeCloseTo(checklistScore(checklist, reward.answers!), 12);
    expect((await backend.score(await request(video))).cached).toBe(true);
    await expect(backend.score(await request(video, "q", "GARBAGEREWARD"))).rejects.toThrow(
      'reward command printed no JSON object: "Traceback (most recent call last): model exploded"',
    );
    await expect(backend.score(await request(video, "q", "FAILREWARD"))).rejects.toThrow("reward command exited with code 4: reward model crashed");
    expect(lines(s.rewardLog)).toHaveLength(3);
  });
});

describe("VlmRewardBackend", () => {
  it("shows ffmpeg frames (1 fps) to a vision model, asks the 64 questions about the ORIGINAL query, and scores the answers", async () => {
    const root = tmp();
    const video = makeVideo(root, 3);
    const yes = new Set([1, 2, 4, 10]);
    scripted = await startScriptedServer({ script: () => ({ text: JSON.stringify({ answers: checklist.weights.map((_, i) => (yes.has(i + 1) ? "yes" : "no")) }) }) });
    const model = await openHttpModel({ baseUrl: scripted.url, model: "vlm" });
    const backend = new VlmRewardBackend({ model, checklist, cache: new RewardCache(join(root, "cache")) });
    const reward = await backend.score(await request(video, "a cat -ar 16:9", "A fluffy orange cat"));
    expect(reward.score).toBeCloseTo(checklist.weights[0]! + checklist.weights[1]! + checklist.weights[3]! + checklist.weights[9]!, 12);
    const [req] = scripted.chatRequests();
    const content = req!.body!.messages[0]!.content as { type: string; text?: string; image_url?: { url: string } }[];
    const images = content.filter((p) => p.type === "image_url");
    expect(images).toHaveLength(3);
    expect(images.every((p) => p.image_url!.url.startsWith("data:image/jpeg;base64,/9j/"))).toBe(true);
    const text = content.find((p) => p.type === "text")!.text!;
    expect(text).toContain('1. Does the video meet all the requirements stated in the text "a cat -ar 16:9"?');
    expect(text).toContain('4. Does the video not completely fail to meet the requirements stated in the text "a cat -ar 16:9"?');
    expect(text).toContain("64. Does the video content contain no extremely harmful material?");
    expect(text).not.toContain("A fluffy orange cat");
    expect(req!.body!.response_format).toMatchObject({ type: "json_schema" });
    expect(req!.body!.temperature).toBe(0);
  });

  it("caps frames at 24, asks in chunks when told, and fails an unreadable reply instead of counting it as no", async () => {
    const root = tmp();
    const video = makeVideo(root, 30);
    scripted = await startScriptedServer({ script: (r) => ({ text: r.userText!.includes("\n33. ") ? "I cannot tell." : Array.from({ length: 32 }, (_, i) => `${i + 1}. yes`).join("\n") }) });
    const model = await openHttpModel({ baseUrl: scripted.url, model: "vlm", retries: 0 });
    const backend = new VlmRewardBackend({ model, checklist, cache: new RewardCache(join(root, "cache")), questionsPerRequest: 32 });
    await expect(backend.score(await request(video))).rejects.toThrow("the vision model's answers to checklist questions 33-64 are not 32 yes/no answers");
    const requests = scripted.chatRequests();
    expect(requests).toHaveLength(2);
    for (const r of requests) expect((r.body!.messages[0]!.content as { type: string }[]).filter((p) => p.type === "image_url")).toHaveLength(24);
  });
});

describe("HttpRewardBackend", () => {
  it("posts the query, prompt, filled questions and the video, and reads a scalar score", async () => {
    const root = tmp();
    const video = makeVideo(root, 1);
    const bodies: Record<string, unknown>[] = [];
    http = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      bodies.push(JSON.parse(Buffer.concat(chunks).toString()));
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"score": 0.83}');
    });
    await new Promise<void>((r) => http!.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/score`;
    const backend = new HttpRewardBackend({ url, checklist, cache: new RewardCache(join(root, "cache")) });
    expect(await backend.score(await request(video, "a dog", "A dog runs"))).toEqual({ score: 0.83, cached: false });
    const body = bodies[0] as { query: string; questions: string[]; video: { sha256: string; base64: string } };
    expect(body.query).toBe("a dog");
    expect(body.questions[0]).toContain('"a dog"');
    expect(Buffer.from(body.video.base64, "base64")).toEqual(readFileSync(video));
    expect(body.video.sha256).toBe(await sha256File(video));
  });
});
