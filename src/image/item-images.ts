import { isAbsolute, resolve } from "node:path";
import { InputError } from "../errors.js";
import type { TextModel } from "../model/types.js";
import type { PromptTemplate } from "../optimize/template.js";
import { imageConditioning, type ImageConditioning } from "./image-conditioning.js";
import { loadImage, type LoadImageOptions } from "./load-image.js";

export interface ItemImagesOptions {
  /** The optimizer's own template (the captioned template builds on it). */
  base: PromptTemplate;
  /** A vision model that captions each frame for a text-only optimizer; without it the optimizer sees the frame. */
  captioner?: TextModel;
  /** The frame of every item that names none of its own (`--image` in batch mode). */
  defaultImage?: string;
  /** Folder that relative `image` paths of items resolve against (the input file's). */
  baseDir: string;
  load?: Omit<LoadImageOptions, "signal">;
}

/** The image conditioning of one batch item, from its record's `image` field or the batch's default image. */
export type ItemImages = (record: Record<string, unknown> | undefined, signal?: AbortSignal) => Promise<ImageConditioning | undefined>;

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/**
 * Image-to-video in batch mode: an item's own `image` (a path, relative to the input file's folder, or an http(s)
 * URL) wins over the default one. Each distinct image is loaded and captioned once for the whole batch; a bad image
 * fails the items that name it, with the reason, and no other.
 */
export function itemImages(options: ItemImagesOptions): ItemImages {
  const memo = new Map<string, Promise<ImageConditioning>>();
  const conditioningOf = (source: string, signal?: AbortSignal) => {
    let pending = memo.get(source);
    if (!pending) {
      pending = loadImage(source, { ...options.load, signal }).then((image) => imageConditioning(image, { base: options.base, captioner: options.captioner, signal }));
      memo.set(source, pending);
    }
    return pending;
  };
  return async (record, signal) => {
    const own = record?.image;
    if (own !== undefined && (typeof own !== "string" || !own.trim())) throw new InputError("the item's image field must be a file path or an http(s) URL");
    const raw = typeof own === "string" ? own.trim() : options.defaultImage;
    if (raw === undefined) return undefined;
    const source = isUrl(raw) || isAbsolute(raw) || own === undefined ? raw : resolve(options.baseDir, raw);
    return conditioningOf(source, signal);
  };
}
