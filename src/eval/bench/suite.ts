import { readFileSync, statSync } from "node:fs";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../../errors.js";
import { seededRandom, shuffled } from "../../util/random.js";

/** One query of a benchmark suite with the categories it counts toward (VBench dimension, MonetBench content/challenge). */
export interface SuiteItem {
  query: string;
  id?: string | number;
  categories: string[];
}

export interface Suite {
  /** The name it was asked for by (a built-in name or the file path). */
  name: string;
  items: SuiteItem[];
  /** VBench dimension names of the built-in suites ({dimension} of --scorer-cmd), by category. */
  dimensions?: Record<string, string>;
}

const VBENCH_DIR = fileURLToPath(new URL("../../../data/vbench/", import.meta.url));

/** The four VBench dimensions of the paper's Table 1, shipped in data/vbench/ (Apache-2.0). */
export const VBENCH_DIMENSIONS = {
  "human-action": "human_action",
  scene: "scene",
  "multiple-objects": "multiple_objects",
  "appearance-style": "appearance_style",
} as const;

export const BUILTIN_SUITES = [...Object.keys(VBENCH_DIMENSIONS).map((d) => `vbench-${d}`), "vbench-all"];

function vbenchSuite(name: string, categories: (keyof typeof VBENCH_DIMENSIONS)[]): Suite {
  const items = categories.flatMap((category) =>
    readFileSync(`${VBENCH_DIR}${VBENCH_DIMENSIONS[category]}.txt`, "utf8")
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .map((query) => ({ query, categories: [category] })),
  );
  return { name, items, dimensions: Object.fromEntries(categories.map((c) => [c, VBENCH_DIMENSIONS[c]])) };
}

const asList = (v: unknown): string[] => (typeof v === "string" && v.trim() ? [v.trim()] : Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x.trim() !== "").map((x) => x.trim()) : []);

/**
 * One suite entry: a string, or an object with the query in `query`, `prompt` or `prompt_en`, categories in
 * `category`/`categories`, and MonetBench's `content`/`content_category` and `challenge`/`challenge_category`
 * (each a string or a list), which count as "content: X" and "challenge: Y".
 */
function itemFrom(value: unknown, file: string, where: number): SuiteItem {
  if (typeof value === "string" && value.trim()) return { query: value.trim(), categories: [] };
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const query = [o.query, o.prompt, o.prompt_en].find((q): q is string => typeof q === "string" && q.trim() !== "");
    if (!query) throw new InputError(`entry ${where} has no "query", "prompt" or "prompt_en" string`, file);
    const categories = [
      ...asList(o.category),
      ...asList(o.categories),
      ...[...asList(o.content), ...asList(o.content_category)].map((c) => `content: ${c}`),
      ...[...asList(o.challenge), ...asList(o.challenge_category)].map((c) => `challenge: ${c}`),
    ];
    const id = typeof o.id === "string" || typeof o.id === "number" ? { id: o.id } : {};
    return { query: query.trim(), ...id, categories: [...new Set(categories)] };
  }
  throw new InputError(`entry ${where} is neither a query string nor an object with "query"`, file);
}

/** A suite file: .txt (a query a line), .json (an array) or .jsonl (an entry a line), MonetBench-style fields allowed. */
export function readSuiteFile(file: string): SuiteItem[] {
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new InputError("not a file", file);
    text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError((error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(error), file);
  }
  const ext = extname(file).toLowerCase();
  if (ext === ".json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new InputError(`not valid JSON: ${(error as Error).message}`, file);
    }
    if (!Array.isArray(parsed)) throw new InputError("expected a JSON array of queries or of objects with \"query\"", file);
    return parsed.map((v, i) => itemFrom(v, file, i + 1));
  }
  const lines = text.split(/\r?\n/).map((l, i) => [l.trim(), i + 1] as const).filter(([l]) => l);
  if (ext === ".jsonl" || ext === ".ndjson") {
    return lines.map(([l, n]) => {
      try {
        return itemFrom(JSON.parse(l), file, n);
      } catch (error) {
        if (error instanceof InputError) throw error;
        throw new InputError(`malformed JSON line: ${(error as Error).message}`, file, n);
      }
    });
  }
  if (ext === ".txt" || ext === "") return lines.map(([l]) => ({ query: l, categories: [] }));
  throw new InputError(`unsupported suite type "${ext}": use .txt, .json or .jsonl`, file);
}

/** A built-in suite (vbench-human-action, …, vbench-all) or a suite file. */
export function loadSuite(nameOrFile: string): Suite {
  if (nameOrFile === "vbench-all") return vbenchSuite(nameOrFile, Object.keys(VBENCH_DIMENSIONS) as (keyof typeof VBENCH_DIMENSIONS)[]);
  const dimension = /^vbench-(.+)$/.exec(nameOrFile)?.[1];
  if (dimension && dimension in VBENCH_DIMENSIONS) return vbenchSuite(nameOrFile, [dimension as keyof typeof VBENCH_DIMENSIONS]);
  if (dimension && !nameOrFile.includes(".") && !nameOrFile.includes("/")) {
    throw new InputError(`unknown suite "${nameOrFile}": built-in suites are ${BUILTIN_SUITES.join(", ")}; anything else is read as a file`);
  }
  return { name: nameOrFile, items: readSuiteFile(nameOrFile) };
}

/** `limit` items drawn with a seeded shuffle (so a subset spans every category), kept in suite order. */
export function limitSuite<T>(items: readonly T[], limit: number | undefined, seed: number): T[] {
  if (limit === undefined || limit >= items.length) return items.slice();
  const keep = new Set(shuffled(items.map((_, i) => i), seededRandom(seed)).slice(0, limit));
  return items.filter((_, i) => keep.has(i));
}
