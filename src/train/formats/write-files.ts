import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** Writes through a temporary file and a rename, so a crash never leaves a half-written data file or config. */
export async function writeAtomic(path: string, content: string | string[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  await writeFile(partial, Array.isArray(content) ? content.join("") : content);
  await rename(partial, path);
}

export async function writeJsonl(path: string, rows: readonly unknown[]): Promise<void> {
  await writeAtomic(path, rows.map((row) => `${JSON.stringify(row)}\n`));
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
