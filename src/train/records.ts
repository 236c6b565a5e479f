import { z } from "zod";

/**
 * The two record formats the data pipeline writes and training reads. Tolerant on purpose: unknown fields pass
 * through (provenance grows over time), only the fields training needs are checked.
 */

/** One line of `sft.jsonl`: the query and the final training target s (p, or p_refined when the judge flagged p). */
export const sftRecordSchema = z.looseObject({
  query: z.string(),
  prompt: z.string(),
  id: z.union([z.string(), z.number()]).optional(),
  critique: z.unknown().optional(),
  verdict: z.unknown().optional(),
  provenance: z.record(z.string(), z.unknown()).optional(),
});
export type SftRecord = z.infer<typeof sftRecordSchema>;

/** One line of `pairs.jsonl`: a DPO preference pair for one query, from text-level or video-level feedback. */
export const pairRecordSchema = z.looseObject({
  query: z.string(),
  chosen: z.string(),
  rejected: z.string(),
  source: z.enum(["text", "video"]),
  scores: z.object({ chosen: z.number(), rejected: z.number() }).optional(),
  answers: z.record(z.string(), z.unknown()).optional(),
  critique: z.string().optional(),
  provenance: z.record(z.string(), z.unknown()).optional(),
});
export type PairRecord = z.infer<typeof pairRecordSchema>;

/** A record read from a file, with where it came from so every drop can be reported by file and line. */
export interface SourcedRecord<T> {
  file: string;
  line: number;
  record: T;
}
