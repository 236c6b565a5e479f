import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../errors.js";
import { writeFileAtomic } from "../../util/files.js";
import { changedKeys, stableStringify } from "../../util/stable-json.js";

/**
 * Fixes a run folder's settings and work lists on the first run; a re-run with the same settings resumes, one with
 * other settings (suite, --limit, --seed, systems, backends) is refused instead of mixing two runs in one table.
 */
export async function prepareRunDir(out: string, settings: Record<string, unknown>, lists: Record<string, readonly object[]>): Promise<Record<string, string>> {
  mkdirSync(out, { recursive: true });
  const runFile = join(out, "run.json");
  if (existsSync(runFile)) {
    const before = JSON.parse(readFileSync(runFile, "utf8")) as Record<string, unknown>;
    const changed = changedKeys(before, settings);
    if (changed.length) throw new UsageError(`${out} holds a run with other settings (${changed.join(", ")} differ): use another --out, or delete ${runFile} to start over`);
  }
  const paths: Record<string, string> = {};
  for (const [name, items] of Object.entries(lists)) {
    const path = join(out, `${name}.jsonl`);
    const text = items.map((i) => JSON.stringify(i)).join("\n") + (items.length ? "\n" : "");
    if (!existsSync(path) || readFileSync(path, "utf8") !== text) await writeFileAtomic(path, text);
    paths[name] = path;
  }
  if (!existsSync(runFile)) await writeFileAtomic(runFile, `${JSON.stringify(JSON.parse(stableStringify(settings)), null, 2)}\n`);
  return paths;
}

/** The last record per index of a JSONL results file (torn or unreadable lines are skipped; the batch runner repairs them). */
export function readRecords<T extends { index: number }>(path: string): T[] {
  if (!existsSync(path)) return [];
  const byIndex = new Map<number, T>();
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as T;
      if (typeof r.index === "number") byIndex.set(r.index, r);
    } catch {
      // a torn last line
    }
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}
