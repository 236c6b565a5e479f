import { InputError, ServiceError } from "../errors.js";
import { loadImage, prepareImage, type LoadedImage } from "./load-image.js";

export interface RequestImageOptions {
  /** Accept http(s) URLs, fetched by the server (off by default: a URL makes the server fetch what a client names). */
  allowUrls?: boolean;
  /** Largest image, decoded or downloaded (default 4 MiB); beyond it a 413. */
  maxBytes: number;
  signal?: AbortSignal;
}

const DATA_URL = /^data:(image\/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/]*={0,2})$/;

/**
 * An image sent to the HTTP service: a base64 data URL of a PNG, JPEG, GIF or WebP, or (only when the server allows
 * it) an http(s) URL. Never a file path: nothing a client sends reads the server's disk. The bytes are checked to be
 * the image they claim; an oversized frame is scaled down as on the command line.
 */
export async function imageFromRequest(raw: string, options: RequestImageOptions): Promise<LoadedImage> {
  if (/^https?:\/\//i.test(raw)) {
    if (!options.allowUrls) throw new InputError("image URLs are off on this server (it was started without --allow-image-urls): send the image as a data URL, data:image/png;base64,…");
    if (!URL.canParse(raw)) throw new InputError("image: not a valid URL");
    // The download has its own 15 s, within the request's own time.
    const timeout = AbortSignal.timeout(15_000);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    return loadImage(raw, { maxSourceBytes: options.maxBytes, signal }).catch((error: unknown) => {
      if (error instanceof InputError && /over the \d+-byte limit/.test(error.message)) throw new ServiceError("too-large", `image: the download is over the ${options.maxBytes}-byte limit`);
      throw error;
    });
  }
  const match = DATA_URL.exec(raw);
  if (!match) {
    const what = raw.startsWith("data:") ? "a data URL of another type or encoding" : "neither a data URL nor an http(s) URL";
    throw new InputError(`image: ${what}; send data:image/(png|jpeg|gif|webp);base64,…${options.allowUrls ? " or an http(s) URL" : ""}`);
  }
  const [, declared, base64] = match;
  // Base64 is 4 characters for every 3 bytes: the size is known before decoding.
  if (Math.floor((base64!.length * 3) / 4) > options.maxBytes + 2) throw new ServiceError("too-large", `image: over the ${options.maxBytes}-byte limit`);
  const data = new Uint8Array(Buffer.from(base64!, "base64"));
  if (data.length > options.maxBytes) throw new ServiceError("too-large", `image: over the ${options.maxBytes}-byte limit`);
  const image = await prepareImage(data, "image", options.signal ? { signal: options.signal } : {});
  const original = image.resizedFrom?.mediaType ?? image.mediaType;
  if (original !== declared) throw new InputError(`image: the data URL says ${declared} but the bytes are ${original}`);
  return { ...image, source: `data:${declared}` };
}
