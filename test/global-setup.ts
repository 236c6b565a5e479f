import { tinyLlama3Gguf } from "./fixtures/tiny-gguf.js";

/** Builds the shared fixtures once, before workers start, so tests never race to create them. */
export default async function setup(): Promise<void> {
  await tinyLlama3Gguf();
}
