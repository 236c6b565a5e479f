import type { PairDataRecord } from "../pipeline/records.js";
import type { SftOutput } from "../pipeline/stages/sft.js";
import { likePattern, parsed, withRun, type Page } from "./open-run.js";
import type { RunLibrary } from "./run-library.js";
import { cachedVideoName } from "./run-videos.js";

/** One SFT record as the run browser shows it: query → teacher prompt → critique → refined prompt. */
export interface SftView {
  queryIndex: number;
  query: string;
  teacherPrompt: string;
  category: string;
  critique: string;
  refined: boolean;
  /** The training target s: the teacher's prompt, or its refinement. */
  prompt: string;
}

export interface PairView {
  queryIndex: number;
  query: string;
  source: "text" | "video";
  chosen: string;
  rejected: string;
  critique?: string;
  scores?: { chosen: number; rejected: number };
  gap?: number;
  answers?: { chosen: string[]; rejected: string[] };
  /** Cache file names of the two videos, when they exist in the run's cache (GET …/videos/NAME). */
  videos?: { chosen?: string; rejected?: string };
}

export interface RecordFilter extends Page {
  q?: string;
}

const queryFilter = (q: string | undefined) => (q ? { sql: " AND json_extract(input, '$.query') LIKE ? ESCAPE '\\'", args: [likePattern(q)] } : { sql: "", args: [] });

/** The finished SFT records of a run, in query order. */
export function runSftRecords(library: RunLibrary, name: string, filter: RecordFilter): { total: number; records: SftView[] } {
  return withRun(library.dir(name), (db) => {
    const f = queryFilter(filter.q);
    const total = (db.prepare(`SELECT count(*) AS n FROM items WHERE stage = 'sft' AND status = 'done'${f.sql}`).get(...f.args) as { n: number }).n;
    const rows = db
      .prepare(`SELECT query_index, input, output FROM items WHERE stage = 'sft' AND status = 'done'${f.sql} ORDER BY query_index LIMIT ? OFFSET ?`)
      .all(...f.args, filter.limit, filter.offset) as { query_index: number; input: string; output: string | null }[];
    const records = rows.flatMap((r) => {
      const out = parsed<SftOutput>(r.output);
      const input = parsed<{ query: string }>(r.input);
      if (!out || !input) return [];
      return [{ queryIndex: r.query_index, query: input.query, teacherPrompt: out.teacherPrompt, category: out.judgement.verdict.category, critique: out.critique, refined: out.refined, prompt: out.prompt }];
    });
    return { total, records };
  });
}

export interface PairFilter extends RecordFilter {
  source?: "text" | "video";
}

/** The DPO pairs of a run, by query (a page holds the pairs of `limit` queries); `total` counts the pairs. */
export function runPairs(library: RunLibrary, name: string, filter: PairFilter): { total: number; queries: number; pairs: PairView[] } {
  const dir = library.dir(name);
  return withRun(dir, (db) => {
    const f = queryFilter(filter.q);
    const source = filter.source ? " AND EXISTS (SELECT 1 FROM json_each(output, '$.pairs') WHERE json_extract(value, '$.source') = ?)" : "";
    const args = [...f.args, ...(filter.source ? [filter.source] : [])];
    const base = `FROM items WHERE stage = 'pairs' AND status = 'done' AND json_array_length(output, '$.pairs') > 0${f.sql}${source}`;
    const counts = db.prepare(`SELECT count(*) AS queries, coalesce(sum(json_array_length(output, '$.pairs')), 0) AS pairs ${base}`).get(...args) as { queries: number; pairs: number };
    const rows = db.prepare(`SELECT query_index, output ${base} ORDER BY query_index LIMIT ? OFFSET ?`).all(...args, filter.limit, filter.offset) as { query_index: number; output: string }[];
    const pairs = rows.flatMap((r) =>
      (parsed<{ pairs: PairDataRecord[] }>(r.output)?.pairs ?? []).filter((p) => !filter.source || p.source === filter.source).map((p) => pairView(dir, r.query_index, p)),
    );
    return { total: counts.pairs, queries: counts.queries, pairs };
  });
}

function pairView(dir: string, queryIndex: number, p: PairDataRecord): PairView {
  const side = (s: "chosen" | "rejected") => (p.provenance[s] as { video?: { path?: string } } | undefined)?.video?.path;
  const videos = { chosen: cachedVideoName(dir, side("chosen")), rejected: cachedVideoName(dir, side("rejected")) };
  return {
    queryIndex,
    query: p.query,
    source: p.source,
    chosen: p.chosen,
    rejected: p.rejected,
    ...(p.critique !== undefined ? { critique: p.critique } : {}),
    ...(p.scores ? { scores: p.scores, gap: p.scores.chosen - p.scores.rejected } : {}),
    ...(p.answers ? { answers: p.answers } : {}),
    ...(videos.chosen || videos.rejected ? { videos: { ...(videos.chosen ? { chosen: videos.chosen } : {}), ...(videos.rejected ? { rejected: videos.rejected } : {}) } } : {}),
  };
}
