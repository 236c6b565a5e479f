import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { QueueError } from "../errors.js";
import { sha256File } from "../util/files.js";

/**
 * The file a worker wrote, as this host sees it: the same file name under this host's mount of the shared cache
 * (mount points may differ between hosts), else the worker's path. Its bytes must hash to what the worker reported:
 * a cache folder that is not really shared, or a copy still in transit, fails here instead of scoring garbage.
 */
export async function sharedVideo(videosDir: string, workerPath: string, sha256: string, worker: string): Promise<string> {
  const local = join(videosDir, basename(workerPath));
  const path = existsSync(local) ? local : workerPath;
  if (!existsSync(path)) {
    throw new QueueError(`the video worker ${worker} rendered (${basename(workerPath)}) is not in ${videosDir}: the cache folder must be shared by the coordinator and the workers (--cache-dir)`);
  }
  const actual = await sha256File(path);
  if (actual !== sha256) throw new QueueError(`the video at ${path} does not match the hash worker ${worker} reported (${sha256.slice(0, 12)}…, found ${actual.slice(0, 12)}…): is the cache folder shared?`);
  return path;
}
