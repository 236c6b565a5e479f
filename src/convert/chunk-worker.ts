/** Worker-thread entry: converts chunks posted by ChunkPool and transfers the result back without copying. */
import { parentPort } from "node:worker_threads";
import { convertChunk, type ChunkJob } from "./convert-chunk.js";

parentPort!.on("message", ({ id, job }: { id: number; job: ChunkJob }) => {
  try {
    const out = convertChunk(job);
    parentPort!.postMessage({ id, out }, [out.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
