import { DEFAULT_MAX_QUERY_CHARS, readQuery, type PreparedQuery } from "../optimize/query.js";
import { screenSafety, type SafetyScreen } from "../safety/screen-safety.js";
import { queryIntent, withCaption, type QueryIntent } from "./check-intent.js";

/**
 * Everything the guard, the judge and the refiner need to know about a query, found once: the prepared text, its
 * flags and the intent items every candidate prompt is checked against.
 */
export interface ParsedQuery extends PreparedQuery {
  intent: QueryIntent;
}

export interface ParseQueryOptions {
  /** The screen whose unsafe spans exempt intent items (default: the shipped lexicon screen). */
  screen?: SafetyScreen;
  maxChars?: number;
  /** Image-to-video: the first frame's caption, which the intent check reads with the query (see withCaption). */
  caption?: string;
}

/** readQuery plus the query's intent. Throws InputError for an empty, over-long or non-string query. */
export function parseQuery(query: string | PreparedQuery, options: ParseQueryOptions = {}): ParsedQuery {
  const read = typeof query === "string" ? readQuery(query, options.maxChars ?? DEFAULT_MAX_QUERY_CHARS) : query;
  const intent = queryIntent(read, options.screen ?? screenSafety);
  return { ...read, intent: options.caption ? withCaption(intent, options.caption) : intent };
}
