import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeTestImage } from "../../test/fixtures/images.js";
import { startScriptedServer, type ScriptedServer } from "../../test/fixtures/scripted-server.js";
import { openHttpModel } from "../model/openai-compatible.js";
import { optimizeBatch, type OptimizeRecord } from "../optimize/optimize-batch.js";
import { vpoTemplate } from "../optimize/template.js";
import { CAPTION_JOINER, I2V_INSTRUCTIONS } from "./i2v-template.js";
import { itemImages } from "./item-images.js";

const servers: ScriptedServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

type Part = { type: string; text?: string; image_url?: { url: string } };
const readJsonl = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as OptimizeRecord & { error?: { message: string } })
    .sort((a, b) => a.index - b.index);

/** A folder with frames a.png, b.png, c.png, a text file posing as an image, and a JSONL batch naming them. */
function batchDir() {
  const dir = mkdtempSync(join(tmpdir(), "vpo-batch-i2v-"));
  for (const [name, w] of [["a", 40], ["b", 48], ["c", 56]] as const) writeTestImage(join(dir, `${name}.png`), w, 32);
  writeFileSync(join(dir, "notes.png"), "not a picture");
  const items = [
    { query: "the dog starts running", image: "a.png" },
    { query: "the bird takes off", image: "b.png" },
    { query: "the waves roll in" },
    { query: "the door opens", image: "notes.png" },
    { query: "the car drives away", image: "../missing.png" },
    { query: "the dog jumps", image: "a.png" },
  ];
  const input = join(dir, "in.jsonl");
  writeFileSync(input, items.map((i) => JSON.stringify(i)).join("\n") + "\n");
  return { dir, input, dataUrl: (name: string) => `data:image/png;base64,${readFileSync(join(dir, name)).toString("base64")}` };
}

describe("image-to-video in batch mode", () => {
  it("a vision optimizer gets each item's own frame (relative to the input file), the default frame otherwise; a bad image fails only its item", async () => {
    const { dir, input, dataUrl } = batchDir();
    const optimizer = await startScriptedServer();
    servers.push(optimizer);
    const model = await openHttpModel({ baseUrl: optimizer.url, model: "vision", retries: 0 });
    const output = join(dir, "out.jsonl");
    const summary = await optimizeBatch({ input, output, optimize: { model }, images: itemImages({ base: vpoTemplate, defaultImage: join(dir, "c.png"), baseDir: dir }) });
    expect(summary).toMatchObject({ ok: 4, failed: 2 });
    const records = readJsonl(output);
    expect(records.map((r) => r.status)).toEqual(["ok", "ok", "ok", "failed", "failed", "ok"]);
    expect(records[3]!.error!.message).toBe(`${join(dir, "notes.png")} is not an image vpo can read (PNG, JPEG, GIF or WebP)`);
    expect(records[4]!.error!.message).toBe(`no image file at ${join(dir, "..", "missing.png")}`);
    expect(records.map((r) => r.image?.width)).toEqual([40, 48, 56, undefined, undefined, 40]);
    expect(records[0]!.image).toMatchObject({ mode: "vision", source: join(dir, "a.png"), mediaType: "image/png" });
    expect(records[0]!.template.name).toBe("vpo-i2v");
    const byQuery = new Map(optimizer.chatRequests().map((r) => [r.userText!, r.body!]));
    expect(byQuery.size).toBe(4);
    for (const [query, frame] of [["the dog starts running", "a.png"], ["the bird takes off", "b.png"], ["the waves roll in", "c.png"]] as const) {
      const body = byQuery.get(`User query (a JSON string): ${JSON.stringify(query)}`)!;
      expect(body.messages[0]).toEqual({ role: "system", content: I2V_INSTRUCTIONS });
      expect((body.messages[1]!.content as Part[]).find((p) => p.type === "image_url")!.image_url!.url).toBe(dataUrl(frame));
    }
    await model.dispose();
  });

  it("with a caption model, each distinct frame is captioned once and the caption follows the query in the VPO contract", async () => {
    const { dir, input } = batchDir();
    const optimizer = await startScriptedServer();
    const captioner = await startScriptedServer({ script: (r) => ({ text: `A still frame ${(r.body!.messages[0]!.content as Part[]).find((p) => p.type === "image_url")!.image_url!.url.length} characters long.` }) });
    servers.push(optimizer, captioner);
    const model = await openHttpModel({ baseUrl: optimizer.url, model: "vpo", retries: 0 });
    const captionModel = await openHttpModel({ baseUrl: captioner.url, model: "vlm", retries: 0 });
    const output = join(dir, "out.jsonl");
    const summary = await optimizeBatch({ input, output, concurrency: 6, optimize: { model }, images: itemImages({ base: vpoTemplate, captioner: captionModel, defaultImage: join(dir, "c.png"), baseDir: dir }) });
    expect(summary).toMatchObject({ ok: 4, failed: 2 });
    // a, b and c: three captions for four items that have a readable frame.
    expect(captioner.chatRequests()).toHaveLength(3);
    const records = readJsonl(output);
    expect(records[0]!.image).toMatchObject({ mode: "caption", caption: expect.stringMatching(/^A still frame \d+ characters long\.$/) });
    expect(records[5]!.image!.caption).toBe(records[0]!.image!.caption);
    expect(records[0]!.template.name).toBe("vpo+caption");
    for (const r of optimizer.chatRequests()) {
      expect(typeof r.body!.messages[0]!.content).toBe("string");
      expect(r.userText).toContain(CAPTION_JOINER);
    }
    await model.dispose();
    await captionModel.dispose();
  });
});
