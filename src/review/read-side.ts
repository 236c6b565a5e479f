import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { InputError } from "../errors.js";

/** One system's output for one query: a line of the JSONL given to --a or --b. */
export interface SideRow {
  line: number;
  query: string;
  prompt: string;
  /** Absolute path of the rendered video, when the line names one (relative paths are read from the file's folder). */
  video?: string;
}

const Line = z.object({ query: z.string().trim().min(1), prompt: z.string().min(1), video: z.string().min(1).optional() });

/** Reads a JSONL of `{query, prompt, video?}`: every problem is an InputError naming the file and line. */
export function readSide(file: string): SideRow[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, file);
  }
  const rows: SideRow[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new InputError(`${file} line ${line}: not valid JSON`, file);
    }
    const parsed = Line.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InputError(`${file} line ${line}: ${issue.path.join(".") || "line"}: ${issue.message} (each line is {"query": …, "prompt": …, "video"?: …})`, file);
    }
    const video = parsed.data.video === undefined ? undefined : resolve(dirname(file), parsed.data.video);
    if (video !== undefined && !(existsSync(video) && statSync(video).isFile())) throw new InputError(`${file} line ${line}: video ${parsed.data.video} does not exist`, file);
    rows.push({ line, query: parsed.data.query, prompt: parsed.data.prompt, ...(video ? { video } : {}) });
  });
  if (rows.length === 0) throw new InputError(`${file} holds no lines`, file);
  return rows;
}

export interface ReviewPair {
  query: string;
  a: SideRow;
  b: SideRow;
}

/** Matches the two files' lines by query (in A's order); both must hold the same queries, each as often. */
export function pairSides(aFile: string, a: SideRow[], bFile: string, b: SideRow[]): ReviewPair[] {
  const byQuery = new Map<string, SideRow[]>();
  for (const row of b) byQuery.set(row.query, [...(byQuery.get(row.query) ?? []), row]);
  const pairs = a.map((row) => {
    const match = byQuery.get(row.query)?.shift();
    if (!match) throw new InputError(`${aFile} line ${row.line}: query ${JSON.stringify(row.query.slice(0, 80))} is not in ${bFile} (both files must hold the same queries)`, aFile);
    return { query: row.query, a: row, b: match };
  });
  const left = [...byQuery.values()].flat().sort((x, y) => x.line - y.line)[0];
  if (left) throw new InputError(`${bFile} line ${left.line}: query ${JSON.stringify(left.query.slice(0, 80))} is not in ${aFile} (both files must hold the same queries)`, bFile);
  return pairs;
}
