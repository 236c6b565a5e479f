import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeTestImage } from "../../test/fixtures/images.js";
import { InputError } from "../errors.js";
import { imageInfo } from "./image-info.js";
import { loadImage } from "./load-image.js";

const dir = mkdtempSync(join(tmpdir(), "vpo-image-"));

describe("imageInfo", () => {
  it.each([
    ["png", "image/png"],
    ["jpg", "image/jpeg"],
    ["gif", "image/gif"],
    ["webp", "image/webp"],
  ])("reads the type and size of a real %s", (ext, mediaType) => {
    const file = writeTestImage(join(dir, `frame.${ext}`), 320, 180);
    expect(imageInfo(readFileSync(file))).toEqual({ mediaType, width: 320, height: 180 });
  });

  it("knows no type for text, an empty file or a truncated header", () => {
    expect(imageInfo(Buffer.from("<html>not an image</html>"))).toBeUndefined();
    expect(imageInfo(new Uint8Array())).toBeUndefined();
    expect(imageInfo(readFileSync(writeTestImage(join(dir, "cut.png"), 32, 32)).subarray(0, 12))).toBeUndefined();
  });
});

describe("loadImage", () => {
  it("passes a small image through unchanged", async () => {
    const file = writeTestImage(join(dir, "small.png"), 64, 48);
    const image = await loadImage(file);
    expect(image).toMatchObject({ mediaType: "image/png", width: 64, height: 48, source: file });
    expect(Buffer.from(image.data)).toEqual(readFileSync(file));
    expect(image.resizedFrom).toBeUndefined();
  });

  it("scales an oversized image down to a JPEG that fits, keeping its aspect, instead of rejecting it", async () => {
    const file = writeTestImage(join(dir, "wide.png"), 3200, 400);
    const image = await loadImage(file);
    expect(image).toMatchObject({ mediaType: "image/jpeg", width: 1568, height: 196, resizedFrom: { width: 3200, height: 400, mediaType: "image/png" } });
    const tight = await loadImage(writeTestImage(join(dir, "noisy.png"), 800, 600, "mandelbrot"), { maxBytes: 8_000 });
    expect(tight.data.length).toBeLessThanOrEqual(8_000);
    expect(tight.width).toBeLessThan(800);
  });

  it("refuses a file that is not an image, a missing file and an over-limit source with clear InputErrors", async () => {
    const text = join(dir, "notes.png");
    writeFileSync(text, "these are my notes, not a picture");
    await expect(loadImage(text)).rejects.toThrow(new InputError(`${text} is not an image vpo can read (PNG, JPEG, GIF or WebP)`));
    await expect(loadImage(join(dir, "missing.jpg"))).rejects.toThrow(/no image file at/);
    await expect(loadImage(writeTestImage(join(dir, "big.png"), 256, 256), { maxSourceBytes: 100 })).rejects.toThrow(/over the 100-byte limit/);
  });

  it("downloads an image from a URL and reports a failed download", async () => {
    const png = readFileSync(writeTestImage(join(dir, "served.png"), 40, 30));
    const server = createServer((req, res) => {
      if (req.url === "/frame.png") res.writeHead(200, { "content-type": "image/png" }).end(png);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await loadImage(`${base}/frame.png`)).toMatchObject({ mediaType: "image/png", width: 40, height: 30 });
      await expect(loadImage(`${base}/nothing.png`)).rejects.toThrow(/HTTP 404/);
    } finally {
      server.close();
    }
  });
});
