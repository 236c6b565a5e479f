import { ModelOutputError } from "../errors.js";
import type { ImageInput, Sampling, TextModel } from "../model/types.js";

export const CAPTION_INSTRUCTIONS = `Describe this image for someone who cannot see it, in one or two plain sentences: the main subjects, what they look like and where they are, the setting, the lighting and the visual style. Describe only what is visible; do not guess at names or at what happens next.`;

/**
 * A vision model's short caption of the first frame, for optimizers that take no images. Throws ModelOutputError
 * when the reply is empty.
 */
export async function captionImage(model: TextModel, image: ImageInput, options: { sampling?: Sampling; signal?: AbortSignal } = {}): Promise<string> {
  const reply = await model.generate({
    messages: [{ role: "user", content: CAPTION_INSTRUCTIONS, images: [image] }],
    sampling: { temperature: 0, maxTokens: 200, ...options.sampling },
    signal: options.signal,
  });
  const caption = reply.text.replace(/\s+/g, " ").trim();
  if (!caption) throw new ModelOutputError("empty", "the caption model gave an empty description of the image", reply.text);
  return caption;
}
