import { tinyCheckpoint } from "./fixtures/tiny-checkpoint.js";
import { tinyLlama3Gguf } from "./fixtures/tiny-gguf.js";

/** Builds the shared fixtures once, before workers start, so tests never race to create them. */
export default async function setup(): Promise<void> {
  await tinyLlama3Gguf();
  await tinyCheckpoint("BF16");
  await tinyCheckpoint("F32");
}
