export { readGguf, metadataValue, GgufFormatError, type GgufFile } from "./reader.js";
export { writeGguf, type GgufTensorSource } from "./writer.js";
export * from "./types.js";
export { float32ToFloat16, float32ToBfloat16 } from "./half.js";
