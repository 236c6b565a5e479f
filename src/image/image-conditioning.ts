import type { ImageInput, TextModel } from "../model/types.js";
import type { PromptTemplate } from "../optimize/template.js";
import { captionImage } from "./caption-image.js";
import { captionedTemplate, i2vTemplate } from "./i2v-template.js";
import type { LoadedImage } from "./load-image.js";

/** The template that carries a first frame to the optimizer, and what a result records about the frame. */
export interface ImageConditioning {
  template: PromptTemplate;
  /** The frame's bytes as sent (a VLM reward shows them too); not part of a result. */
  frame: ImageInput;
  image: Pick<LoadedImage, "source" | "mediaType" | "width" | "height" | "resizedFrom"> & {
    /** "vision": the optimizer sees the frame; "caption": a vision model described it and the optimizer reads that. */
    mode: "vision" | "caption";
    caption?: string;
  };
}

/**
 * Image-to-video conditioning. With a `captioner` (a vision model), the frame is captioned once and the caption
 * follows the query in the optimizer's own template (`base`, e.g. the VPO contract of a text-only model); without
 * one, the optimizer must take images and gets the i2v template with the frame as an image part.
 */
export async function imageConditioning(image: LoadedImage, options: { base: PromptTemplate; captioner?: TextModel; signal?: AbortSignal }): Promise<ImageConditioning> {
  const about = { source: image.source, mediaType: image.mediaType, width: image.width, height: image.height, ...(image.resizedFrom ? { resizedFrom: image.resizedFrom } : {}) };
  const frame = { data: image.data, mediaType: image.mediaType };
  if (!options.captioner) return { template: i2vTemplate(image), frame, image: { ...about, mode: "vision" } };
  const caption = await captionImage(options.captioner, image, { signal: options.signal });
  return { template: captionedTemplate(options.base, caption), frame, image: { ...about, mode: "caption", caption } };
}

/** What selection needs of a conditioning: the frame (for a VLM reward) and its caption (for the intent check). */
export function selectionImage(conditioning: ImageConditioning): ImageInput & { caption?: string } {
  return { ...conditioning.frame, ...(conditioning.image.caption ? { caption: conditioning.image.caption } : {}) };
}
