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

  it("batch mode: --image is the frame of every item without an image field of its own; items name theirs relative to the input file", async () => {
    const vision = await startScriptedServer();
    servers.push(vision);
    const dir = tmp();
    const shared = writeTestImage(join(dir, "shared.png"), 64, 48);
    writeTestImage(join(dir, "own.png"), 80, 48);
    const input = join(dir, "in.jsonl");
    writeFileSync(input, [{ query: QUERY }, { query: "the bird takes off", image: "own.png" }, { query: "the door opens", image: "nothing.png" }].map((i) => JSON.stringify(i)).join("\n") + "\n");
    const output = join(dir, "out.jsonl");
    const r = await runCli(["optimize", "--input", input, "--output", output, "--image", shared, "--base-url", vision.url, "--model", "vlm", "-q"]);
    expect(r.code).toBe(1);
    const records = readFileSync(output, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { index: number; status: string; image?: { width: number }; error?: { message: string } }).sort((a, b) => a.index - b.index);
    expect(records.map((x) => [x.status, x.image?.width])).toEqual([["ok", 64], ["ok", 80], ["failed", undefined]]);
    expect(records[2]!.error!.message).toBe(`no image file at ${join(dir, "nothing.png")}`);
    const urls = vision.chatRequests().map((q) => ((q.body!.messages[1]!.content as Part[]).find((p) => p.type === "image_url")!.image_url!.url));
    expect(new Set(urls)).toEqual(new Set([`data:image/png;base64,${readFileSync(shared).toString("base64")}`, `data:image/png;base64,${readFileSync(join(dir, "own.png")).toString("base64")}`]));
  });

  it("--guard with a caption: the intent check reads the caption too, and the report says what the frame showed and what it did not require", async () => {
    const captioner = await startScriptedServer({ script: () => ({ text: "A golden retriever with a red collar sits on green grass." }) });
    const vpo = await startScriptedServer({ script: () => ({ text: "It springs up and sprints toward the camera, ears flapping, the camera tracking backward." }) });
    servers.push(captioner, vpo);
    const frame = writeTestImage(join(tmp(), "frame.png"), 64, 48);
    const r = await runCli(["optimize", "a golden retriever starts running toward the camera", "--guard", "--image", frame, "--caption-base-url", captioner.url, "--caption-model", "vlm", "--base-url", vpo.url, "--model", "vpo", "--json"]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { prompt: string; report: { status: string; missing: string[]; frame: { shownByFrame: string[]; notRequired: string[] } } };
    expect(result.report.status).toBe("passed");
    expect(result.prompt).toBe("It springs up and sprints toward the camera, ears flapping, the camera tracking backward.");
    expect(result.report.frame).toMatchObject({ shownByFrame: ["golden", "retriever"], notRequired: ["red", "collar", "sits", "green", "grass"] });
    expect(result.report.missing).not.toContain("retriever");
  });
});
