import { mkdtemp, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeSafetensors } from "../../test/fixtures/safetensors-writer.js";
import { Checkpoint } from "./checkpoint.js";
import { readSafetensorsHeader } from "./safetensors.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vpo-ckpt-"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const f32 = (...v: number[]) => new Uint8Array(Float32Array.from(v).buffer);

describe("Checkpoint", () => {
  it("reads sharded checkpoints through the index, by byte range", async () => {
    await writeSafetensors(join(dir, "a.safetensors"), [{ name: "x", dtype: "F32", shape: [2, 2], data: f32(1, 2, 3, 4) }]);
    await writeSafetensors(join(dir, "b.safetensors"), [{ name: "y", dtype: "F32", shape: [3], data: f32(5, 6, 7) }]);
    await writeFile(join(dir, "model.safetensors.index.json"), JSON.stringify({ weight_map: { x: "a.safetensors", y: "b.safetensors" } }));
    const ckpt = await Checkpoint.open(dir);
    try {
      expect([...ckpt.tensors.keys()]).toEqual(["x", "y"]);
      expect(ckpt.byteLength).toBe(28);
      const row = await ckpt.read(ckpt.tensors.get("x")!, 8, 8);
      expect(Array.from(new Float32Array(row.buffer))).toEqual([3, 4]);
      expect(Array.from(new Float32Array((await ckpt.read(ckpt.tensors.get("y")!, 0, 12)).buffer))).toEqual([5, 6, 7]);
    } finally {
      await ckpt.close();
    }
  });

  it("says which shard is missing, and that a truncated file is truncated", async () => {
    await writeFile(join(dir, "model.safetensors.index.json"), JSON.stringify({ weight_map: { x: "gone.safetensors" } }));
    await expect(Checkpoint.open(dir)).rejects.toThrow(/gone\.safetensors/);
    await rm(join(dir, "model.safetensors.index.json"));
    const file = join(dir, "model.safetensors");
    await writeSafetensors(file, [{ name: "x", dtype: "BF16", shape: [4, 4], data: new Uint8Array(32) }]);
    await truncate(file, (await stat(file)).size - 8);
    await expect(readSafetensorsHeader(file)).rejects.toThrow(/model\.safetensors: tensor x: .*truncated/);
    await writeFile(file, Buffer.from("not a safetensors file at all"));
    await expect(readSafetensorsHeader(file)).rejects.toThrow(/not a safetensors file/);
  });

  it("refuses a folder of unrelated safetensors files with no index", async () => {
    await writeSafetensors(join(dir, "one.safetensors"), [{ name: "x", dtype: "F32", shape: [1], data: f32(1) }]);
    await writeSafetensors(join(dir, "two.safetensors"), [{ name: "y", dtype: "F32", shape: [1], data: f32(1) }]);
    await expect(Checkpoint.open(dir)).rejects.toThrow(/no model\.safetensors\.index\.json/);
  });
});
