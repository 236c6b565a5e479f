import { readFile, stat } from "node:fs/promises";
import { InputError } from "../errors.js";
import type { ImageInput } from "../model/types.js";
import { imageInfo, type ImageInfo } from "./image-info.js";
import { resizeImage } from "./resize-image.js";

export interface LoadImageOptions {
  /** Longer side in pixels above which the image is scaled down (default 1568, what vision APIs scale to anyway). */
  maxSide?: number;
  /** Bytes above which the image is re-encoded smaller (default 4 MiB, under common request limits). */
  maxBytes?: number;
  /** Larger sources are refused outright (default 64 MiB). */
  maxSourceBytes?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** An image ready for a vision model, and what was done to it. */
export interface LoadedImage extends ImageInput {
  source: string;
  width: number;
  height: number;
  /** Set when the original was too large and was scaled down: its size and type. */
  resizedFrom?: { width: number; height: number; bytes: number; mediaType: ImageInfo["mediaType"] };
}

export const DEFAULT_MAX_IMAGE_SIDE = 1568;
export const DEFAULT_MAX_IMAGE_BYTES = 4 << 20;
const DEFAULT_MAX_SOURCE_BYTES = 64 << 20;

async function readSource(source: string, limit: number, options: LoadImageOptions): Promise<Uint8Array> {
  if (/^https?:\/\//i.test(source)) {
    let response: Response;
    try {
      response = await fetch(source, { signal: options.signal ?? AbortSignal.timeout(options.timeoutMs ?? 30_000) });
    } catch (error) {
      throw new InputError(`could not download the image ${source}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!response.ok) throw new InputError(`could not download the image ${source}: HTTP ${response.status}`);
    const declared = Number(response.headers.get("content-length") ?? 0);
    if (declared > limit) throw new InputError(`the image ${source} is ${declared} bytes, over the ${limit}-byte limit`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > limit) throw new InputError(`the image ${source} is ${bytes.length} bytes, over the ${limit}-byte limit`);
    return bytes;
  }
  const info = await stat(source).catch(() => undefined);
  if (!info?.isFile()) throw new InputError(`no image file at ${source}`);
  if (info.size > limit) throw new InputError(`the image ${source} is ${info.size} bytes, over the ${limit}-byte limit`);
  return new Uint8Array(await readFile(source));
}

/**
 * Reads an image from a path or an http(s) URL for a vision model: checks by its bytes that it is a PNG, JPEG, GIF
 * or WebP (anything else is an InputError naming the source), and scales an oversized one down to a JPEG that fits
 * `maxSide` and `maxBytes` instead of rejecting it.
 */
export async function loadImage(source: string, options: LoadImageOptions = {}): Promise<LoadedImage> {
  return prepareImage(await readSource(source, options.maxSourceBytes ?? DEFAULT_MAX_SOURCE_BYTES, options), source, options);
}

/** Image bytes already in hand (a request's data URL), checked and scaled down like loadImage's; `source` names them in errors. */
export async function prepareImage(data: Uint8Array, source: string, options: Omit<LoadImageOptions, "maxSourceBytes"> = {}): Promise<LoadedImage> {
  const maxSide = options.maxSide ?? DEFAULT_MAX_IMAGE_SIDE;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  const info = imageInfo(data);
  if (!info || info.width === 0 || info.height === 0) throw new InputError(`${source} is not an image vpo can read (PNG, JPEG, GIF or WebP)`);
  if (Math.max(info.width, info.height) <= maxSide && data.length <= maxBytes) return { source, data, mediaType: info.mediaType, width: info.width, height: info.height };
  let side = Math.min(maxSide, Math.max(info.width, info.height));
  // Each try halves the longer side until the JPEG fits the byte budget.
  for (;;) {
    const resized = await resizeImage(data, { maxSide: side, timeoutMs: options.timeoutMs, signal: options.signal });
    const out = imageInfo(resized);
    if (!out) throw new InputError(`${source} could not be scaled down to a readable image`);
    if (resized.length <= maxBytes || side <= 64) {
      return { source, data: resized, mediaType: out.mediaType, width: out.width, height: out.height, resizedFrom: { width: info.width, height: info.height, bytes: data.length, mediaType: info.mediaType } };
    }
    side = Math.floor(side / 2);
  }
}
