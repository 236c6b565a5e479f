import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import { CommandError } from "../../errors.js";
import { parseCommandTemplate, removeJob, renderCommand, runDurableJob } from "../../exec/index.js";
import { tail, writeFileAtomic } from "../../util/files.js";
import { contentHash } from "../../util/stable-json.js";
import type { BenchRecord } from "./records.js";

export const SCORER_PLACEHOLDERS = ["videos_dir", "dimension", "system"];

export interface DimensionScorerOptions {
  /** e.g. `vbench evaluate --dimension {dimension} --videos_path {videos_dir} --mode vbench_standard`, printing JSON. */
  command: string;
  out: string;
  records: BenchRecord[];
  /** The dimensions to score ({dimension}); with categoryDimensions, each over its own category's videos. */
  dimensions: string[];
  categoryDimensions?: Record<string, string>;
  /** Per run (default 6 h: the official evaluator is slow). */
  timeoutMs?: number;
}

/** The column a scorer-command dimension fills. */
export const scorerColumn = (dimension: string) => `vbench:${dimension}`;

/** VBench names videos `<prompt>-<sample>.mp4`; a "/" in a prompt cannot be in a file name. */
const videoName = (r: BenchRecord) => `${r.query.replace(/\//g, "_")}-0${extname(r.video!.path)}`;

/**
 * The scorer's JSON (the last line holding an object): VBench's results file shape `{"<dimension>": [score,
 * [{"video_path", "video_results"}, …]]}`, or `{"videos": {"<file name>": value, …}}`. Per-video values become the
 * row's column, so intervals and paired differences work as for any reward.
 */
export function parseScorerOutput(text: string, dimension: string): Map<string, number> | { reason: string } {
  const line = [text.trim(), ...text.trim().split("\n").reverse()].find((l) => {
    try {
      return typeof JSON.parse(l) === "object";
    } catch {
      return false;
    }
  });
  if (!line) return { reason: `printed no JSON object${text.trim() ? `: ${JSON.stringify(tail(text.trim(), 120))}` : ""}` };
  const value = JSON.parse(line) as Record<string, unknown>;
  const out = new Map<string, number>();
  const entry = value[dimension];
  if (Array.isArray(entry) && Array.isArray(entry[1])) {
    for (const v of entry[1] as { video_path?: unknown; video_results?: unknown }[]) {
      if (typeof v?.video_path === "string" && typeof v.video_results === "number") out.set(basename(v.video_path), v.video_results);
      else if (typeof v?.video_path === "string" && typeof v.video_results === "boolean") out.set(basename(v.video_path), v.video_results ? 1 : 0);
    }
  } else if (value.videos && typeof value.videos === "object") {
    for (const [name, v] of Object.entries(value.videos as Record<string, unknown>)) if (typeof v === "number") out.set(basename(name), v);
  }
  if (!out.size) return { reason: `printed JSON without per-video results for ${dimension} ({"${dimension}": [score, [{"video_path", "video_results"}]]} or {"videos": {name: value}})` };
  return out;
}

/**
 * Runs a VBench-style evaluator once per system and dimension over a folder of that system's videos (symlinks named
 * the VBench way), as a durable job; its per-video results are stored beside the folder, keyed by the videos' hashes,
 * so a re-run scores nothing twice.
 */
export async function runDimensionScorer(options: DimensionScorerOptions): Promise<{ records: BenchRecord[] }> {
  const template = parseCommandTemplate("--scorer-cmd", options.command, { allowed: SCORER_PLACEHOLDERS, required: ["videos_dir"] });
  const root = resolve(options.out, "scorer");
  const values = new Map<string, number>();
  const systems = [...new Set(options.records.map((r) => r.system))];
  for (const system of systems) {
    for (const dimension of options.dimensions.length ? options.dimensions : ["default"]) {
      const cats = Object.entries(options.categoryDimensions ?? {}).filter(([, d]) => d === dimension).map(([c]) => c);
      const rows = options.records.filter((r) => r.system === system && r.video && (!cats.length || r.categories.some((c) => cats.includes(c))));
      if (!rows.length) continue;
      const key = contentHash({ command: options.command, dimension, videos: rows.map((r) => [videoName(r), r.video!.sha256]) }).slice(0, 16);
      const dir = join(root, system, dimension);
      const resultFile = join(root, system, `${dimension}.${key}.json`);
      let results: Record<string, number>;
      if (existsSync(resultFile)) results = JSON.parse(readFileSync(resultFile, "utf8")) as Record<string, number>;
      else {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        for (const r of rows) symlinkSync(r.video!.path, join(dir, videoName(r)));
        const base = join(root, "jobs", `${system}-${dimension}-${key}`);
        mkdirSync(join(root, "jobs"), { recursive: true });
        const outcome = await runDurableJob({ base, command: renderCommand(template, { videos_dir: dir, dimension, system }), timeoutMs: options.timeoutMs ?? 6 * 3600_000 });
        const stdout = await readFile(outcome.stdoutPath, "utf8").catch(() => "");
        const stderr = tail(await readFile(outcome.stderrPath, "utf8").catch(() => ""));
        if (outcome.timedOut || outcome.exitCode !== 0) {
          await removeJob(base);
          throw new CommandError(`scorer command for ${system}/${dimension} ${outcome.timedOut ? "timed out" : `exited with code ${outcome.exitCode}`}${stderr ? `: ${stderr}` : ""}`, { exitCode: outcome.exitCode, stderr, timedOut: outcome.timedOut });
        }
        const parsed = parseScorerOutput(stdout, dimension);
        if (!(parsed instanceof Map)) {
          await removeJob(base);
          throw new CommandError(`scorer command for ${system}/${dimension} ${parsed.reason}`, { exitCode: 0, stderr });
        }
        results = Object.fromEntries(parsed);
        await writeFileAtomic(resultFile, JSON.stringify(results));
        void removeJob(base);
      }
      for (const r of rows) {
        const v = results[videoName(r)];
        if (v !== undefined) values.set(`${r.index}|${dimension}`, v);
      }
    }
  }
  const records = options.records.map((r) => {
    const extra = Object.fromEntries((options.dimensions.length ? options.dimensions : ["default"]).flatMap((d) => (values.has(`${r.index}|${d}`) ? [[scorerColumn(d), values.get(`${r.index}|${d}`)!]] : [])));
    return Object.keys(extra).length ? { ...r, columns: { ...r.columns, ...extra } } : r;
  });
  return { records };
}
