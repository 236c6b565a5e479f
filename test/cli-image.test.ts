import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CAPTION_JOINER, I2V_INSTRUCTIONS } from "../src/image/i2v-template.js";
import { writeTestImage } from "./fixtures/images.js";
import { startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";
import { runCli } from "./helpers/cli.js";

const contract = readFileSync(new URL("../../shared/contracts/vpo-model-template.txt", import.meta.url), "utf8");

let servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
const tmp = () => mkdtempSync(join(tmpdir(), "vpo-i2v-"));
type Part = { type: string; text?: string; image_url?: { url: string } };
const QUERY = "the dog starts running toward the camera";

describe("vpo optimize --image", () => {
  it("a vision optimizer gets the frame as an image part with the i2v instructions", async () => {
    const vision = await startScriptedServer({ script: () => ({ text: "The dog springs forward and races toward the lens as the camera holds steady, grass blurring under its paws." }) });
    servers.push(vision);
    const frame = writeTestImage(join(tmp(), "frame.png"), 96, 64);
    const r = await runCli(["optimize", QUERY, "--image", frame, "--base-url", vision.url, "--model", "vlm", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { prompt: string; template: { name: string }; image: Record<string, unknown> };
    expect(result.template.name).toBe("vpo-i2v");
    expect(result.image).toEqual({ source: frame, mediaType: "image/png", width: 96, height: 64, mode: "vision" });
    const [request] = vision.chatRequests();
    const [system, user] = request!.body!.messages as { role: string; content: string | Part[] }[];
    expect(system).toEqual({ role: "system", content: I2V_INSTRUCTIONS });
    const parts = user!.content as Part[];
    expect(parts.find((p) => p.type === "text")!.text).toBe(`User query (a JSON string): ${JSON.stringify(QUERY)}`);
    const image = parts.find((p) => p.type === "image_url")!.image_url!.url;
    expect(image).toBe(`data:image/png;base64,${readFileSync(frame).toString("base64")}`);
  });

  it("a text-only optimizer gets the VPO contract with a caption model's description of the frame", async () => {
    const captioner = await startScriptedServer({ script: () => ({ text: "A golden retriever sits on a green lawn in soft afternoon light." }) });
    const vpo = await startScriptedServer({ script: () => ({ text: "A golden retriever bolts across the lawn toward the camera in soft afternoon light." }) });
    servers.push(captioner, vpo);
    const frame = writeTestImage(join(tmp(), "frame.jpg"), 120, 90);
    const r = await runCli(["optimize", QUERY, "--image", frame, "--caption-base-url", captioner.url, "--caption-model", "vlm", "--base-url", vpo.url, "--model", "vpo", "--json"]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { template: { name: string }; image: { mode: string; caption: string } };
    expect(result.image).toMatchObject({ mode: "caption", caption: "A golden retriever sits on a green lawn in soft afternoon light.", mediaType: "image/jpeg" });
    expect(result.template.name).toBe("vpo+caption");
    const [captionRequest] = captioner.chatRequests();
    expect((captionRequest!.body!.messages[0]!.content as Part[]).some((p) => p.type === "image_url")).toBe(true);
    const [optimizeRequest] = vpo.chatRequests();
    expect(optimizeRequest!.body!.messages).toEqual([
      { role: "user", content: contract.replace("{}", `${QUERY}. ${CAPTION_JOINER}A golden retriever sits on a green lawn in soft afternoon light.`) },
    ]);
  });

  it("a file that is not an image is a clear error before any request; an oversized frame is scaled down", async () => {
    const vision = await startScriptedServer({ script: () => ({ text: "The dog runs toward the camera." }) });
    servers.push(vision);
    const dir = tmp();
    const notImage = join(dir, "frame.png");
    writeFileSync(notImage, "not a picture");
    const bad = await runCli(["optimize", QUERY, "--image", notImage, "--base-url", vision.url, "--model", "vlm"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain(`${notImage} is not an image vpo can read (PNG, JPEG, GIF or WebP)`);
    expect(vision.chatRequests()).toHaveLength(0);
    const huge = writeTestImage(join(dir, "huge.png"), 4000, 3000);
    const r = await runCli(["optimize", QUERY, "--image", huge, "--base-url", vision.url, "--model", "vlm", "--json"]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { image: unknown }).image).toMatchObject({ mediaType: "image/jpeg", width: 1568, height: 1176, resizedFrom: { width: 4000, height: 3000 } });
  });
});
