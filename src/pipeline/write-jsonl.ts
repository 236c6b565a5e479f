import { once } from "node:events";
import { createWriteStream, renameSync } from "node:fs";

/** Writes records as JSON lines to a temporary file and renames it over `path`: readers never see a partial file. */
export async function writeJsonlAtomic(path: string, records: Iterable<unknown>): Promise<number> {
  const tmp = `${path}.tmp-${process.pid}`;
  const out = createWriteStream(tmp);
  let n = 0;
  for (const record of records) {
    n++;
    if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  renameSync(tmp, path);
  return n;
}
