export { loadImage, prepareImage, DEFAULT_MAX_IMAGE_SIDE, DEFAULT_MAX_IMAGE_BYTES, type LoadImageOptions, type LoadedImage } from "./load-image.js";
export { imageInfo, type ImageInfo } from "./image-info.js";
export { resizeImage } from "./resize-image.js";
export { I2V_INSTRUCTIONS, CAPTION_JOINER, i2vTemplate, captionedTemplate, captionedQuery } from "./i2v-template.js";
export { captionImage, CAPTION_INSTRUCTIONS } from "./caption-image.js";
export { imageConditioning, selectionImage, type ImageConditioning } from "./image-conditioning.js";
export { itemImages, type ItemImages, type ItemImagesOptions } from "./item-images.js";
export { imageFromRequest, type RequestImageOptions } from "./image-from-request.js";
