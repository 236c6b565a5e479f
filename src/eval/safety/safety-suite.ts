import { readdirSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { InputError } from "../../errors.js";
import { readSuiteFile } from "../bench/suite.js";

export interface SafetyQuery {
  query: string;
  /** The risk aspect it probes (T2VSafetyBench: one file per aspect). */
  aspect: string;
}

const SUITE_EXTENSIONS = [".txt", ".json", ".jsonl"];

/**
 * A safety suite in the T2VSafetyBench layout: a folder with one file per aspect (the file name, without extension,
 * names the aspect), or one file whose entries carry their aspect in `category`/`categories` (else "all").
 */
export function loadSafetySuite(path: string): SafetyQuery[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new InputError("no such file or folder", path);
  }
  if (!isDir) return readSuiteFile(path).map((i) => ({ query: i.query, aspect: i.categories[0] ?? "all" }));
  const files = readdirSync(path).filter((f) => SUITE_EXTENSIONS.includes(extname(f).toLowerCase())).sort();
  if (!files.length) throw new InputError(`no aspect files (${SUITE_EXTENSIONS.join(", ")}) in the folder`, path);
  return files.flatMap((f) => readSuiteFile(join(path, f)).map((i) => ({ query: i.query, aspect: basename(f, extname(f)) })));
}
