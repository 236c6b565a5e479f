import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyCheckpoint } from "../../test/fixtures/tiny-checkpoint.js";
import { AbortedError } from "../errors.js";
import { convertCheckpoint } from "./convert.js";

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "vpo-convert-unit-"));
});
afterAll(async () => rm(work, { recursive: true, force: true }));

describe("convertCheckpoint", () => {
  it("stops mid-tensor when cancelled and leaves neither the output nor a partial file", async () => {
    const out = join(work, "cancelled.gguf");
    const controller = new AbortController();
    const error = await convertCheckpoint({
      dir: await tinyCheckpoint("F32"), out, type: "q8_0", threads: 1, signal: controller.signal,
      onProgress: (p) => p.bytes > 5e6 && controller.abort(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it("reports progress up to the whole checkpoint and never replaces a file unless asked", async () => {
    const out = join(work, "tiny.q4_0.gguf");
    await writeFile(out, "precious");
    await expect(convertCheckpoint({ dir: await tinyCheckpoint("BF16"), out, type: "q4_0" })).rejects.toThrow(/already exists/);
    let last = { bytes: 0, totalBytes: -1 };
    const result = await convertCheckpoint({ dir: await tinyCheckpoint("BF16"), out, type: "q4_0", overwrite: true, threads: 0, onProgress: (p) => (last = p) });
    expect(last.bytes).toBe(last.totalBytes);
    expect(result.sourceBytes).toBe(last.totalBytes);
    expect(result.largestTensorBytes).toBe(128256 * 64 * 2);
  });
});
