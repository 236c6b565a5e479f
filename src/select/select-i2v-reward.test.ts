import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeTestImage } from "../../test/fixtures/images.js";
import { startScriptedServer, type ScriptedServer } from "../../test/fixtures/scripted-server.js";
import { writeStandIns } from "../../test/fixtures/stand-in-commands.js";
import { loadImage } from "../image/load-image.js";
import { openHttpModel } from "../model/openai-compatible.js";
import { loadChecklist } from "../reward/checklist.js";
import { RewardCache } from "../reward/reward-cache.js";
import { VlmRewardBackend } from "../reward/vlm-reward.js";
import { CommandVideoBackend } from "../video/command-video.js";
import { VideoCache } from "../video/video-cache.js";
import { selectBest } from "./select-best.js";

const checklist = loadChecklist();
let vlm: ScriptedServer | undefined;
afterEach(async () => {
  await vlm?.close();
  vlm = undefined;
});

type Part = { type: string; text?: string; image_url?: { url: string } };
const partsOf = (body: unknown) => (body as { messages: { content: Part[] }[] }).messages[0]!.content;

describe("selection by a VLM reward, image-to-video", () => {
  it("shows the VLM the conditioning frame first, then the video's frames, and keys the cached score by the frame", async () => {
    const root = mkdtempSync(join(tmpdir(), "vpo-select-i2v-"));
    const frameFile = writeTestImage(join(root, "frame.png"), 64, 48);
    const frame = await loadImage(frameFile);
    // The stand-in VLM says yes to everything when it was shown a frame to compare with, else no: the scores tell.
    vlm = await startScriptedServer({ script: (r) => ({ text: JSON.stringify({ answers: Array(64).fill(partsOf(r.body)[0]!.type === "image_url" && partsOf(r.body).filter((p) => p.type === "image_url").length > 1 ? "yes" : "no") }) }) });
    const model = await openHttpModel({ baseUrl: vlm.url, model: "vlm", retries: 0 });
    const cacheDir = join(root, "cache");
    const s = writeStandIns(join(root, "bin"));
    const backends = {
      video: new CommandVideoBackend({ command: s.videoCmd, cache: new VideoCache(cacheDir), concurrency: 2 }),
      reward: new VlmRewardBackend({ model, checklist, cache: new RewardCache(cacheDir) }),
    };
    const prompts = ["The dog springs up and sprints toward the camera.", "The dog rolls over in the grass, the camera slowly pushing in."];
    const query = "the dog starts running toward the camera";

    const withFrame = await selectBest(query, prompts, { method: "reward", ...backends, image: { ...frame, caption: "A dog sits on grass." } });
    const requests = vlm.chatRequests();
    expect(requests).toHaveLength(2);
    const frameUrl = `data:image/png;base64,${readFileSync(frameFile).toString("base64")}`;
    for (const r of requests) {
      const images = partsOf(r.body).filter((p) => p.type === "image_url");
      expect(images[0]!.image_url!.url).toBe(frameUrl);
      expect(images.slice(1).length).toBeGreaterThan(0);
      expect(images.slice(1).every((p) => p.image_url!.url.startsWith("data:image/jpeg;base64,"))).toBe(true);
      expect(partsOf(r.body).find((p) => p.type === "text")!.text).toMatch(/^The first image is the frame the video was asked to start from \(image-to-video\); the \d+ images? after it are frames of the generated video/);
    }
    expect(withFrame.candidates.map((c) => c.scores.reward?.score)).toEqual([6.277, 6.277].map((x) => expect.closeTo(x, 3)));

    // The same videos without the frame are another question: asked again, and answered without it.
    const withoutFrame = await selectBest(query, prompts, { method: "reward", ...backends });
    expect(vlm.chatRequests()).toHaveLength(4);
    expect(withoutFrame.candidates.every((c) => c.scores.reward!.score === 0 && c.scores.reward!.video.cached)).toBe(true);
    expect(partsOf(vlm.chatRequests()[3]!.body).find((p) => p.type === "text")!.text).toMatch(/^The \d+ images? are frames of one generated video/);

    // With the frame again: both scores come from the cache.
    const again = await selectBest(query, prompts, { method: "reward", ...backends, image: frame });
    expect(vlm.chatRequests()).toHaveLength(4);
    expect(again.candidates.every((c) => c.scores.reward!.cached)).toBe(true);
    await model.dispose();
  });
});
