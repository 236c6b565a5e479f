import { Option, type Command } from "commander";
import { imageConditioning, type ImageConditioning } from "../image/image-conditioning.js";
import { dirname, resolve } from "node:path";
import { itemImages, type ItemImages } from "../image/item-images.js";
import { loadImage } from "../image/load-image.js";
import { openModel } from "../model/open-model.js";
import type { PromptTemplate } from "../optimize/template.js";
import type { Logger } from "../util/logger.js";
import { addModelOptions, modelSpecFrom } from "./options.js";

/** --image and the --caption-* model that describes it for a text-only optimizer. */
export function addImageOptions(command: Command): Command {
  command.addOption(new Option("--image <path|url>", "image-to-video: the first frame (PNG, JPEG, GIF or WebP; an oversized one is scaled down). A vision optimizer sees it; with --caption-* a vision model describes it for a text-only optimizer. Batch mode: the frame of every item without an image field of its own"));
  return addModelOptions(command, "caption");
}

/**
 * Batch mode: each item's `image` field (relative paths from the input file's folder), else --image for all; the
 * caption model, when given, stays open for the batch (dispose after).
 */
export async function batchImagesFromFlags(flags: { image?: string } & Record<string, unknown>, base: PromptTemplate, input: string, logger: Logger): Promise<{ images: ItemImages; dispose(): Promise<void> }> {
  const spec = modelSpecFrom(flags, "caption", { logger });
  const captioner = spec.baseUrl || spec.model ? await openModel(spec) : undefined;
  const images = itemImages({ base, ...(captioner ? { captioner } : {}), ...(flags.image ? { defaultImage: flags.image } : {}), baseDir: dirname(resolve(input)) });
  return { images, dispose: async () => void (await captioner?.dispose()) };
}

/** The image conditioning the flags ask for (the caption model is opened, used once and closed here). */
export async function imageFromFlags(flags: { image?: string } & Record<string, unknown>, base: PromptTemplate, logger: Logger, signal?: AbortSignal): Promise<ImageConditioning | undefined> {
  if (!flags.image) return undefined;
  const image = await loadImage(flags.image, { signal });
  if (image.resizedFrom) logger.info(`image scaled down from ${image.resizedFrom.width}×${image.resizedFrom.height} to ${image.width}×${image.height}`);
  const spec = modelSpecFrom(flags, "caption", { logger });
  if (!spec.baseUrl && !spec.model) return imageConditioning(image, { base });
  const captioner = await openModel(spec);
  try {
    return await imageConditioning(image, { base, captioner, signal });
  } finally {
    await captioner.dispose();
  }
}
