import { InputError } from "../errors.js";
import { decodeEntities } from "../text/decode-entities.js";
import { parseQueryFlags, type FlagSpan, type QueryFlags } from "./flags.js";

export const DEFAULT_MAX_QUERY_CHARS = 4000;

// C0 and C1 control characters other than tab and newline, plus zero-width and bidi-override characters.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200D\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/**
 * Checks a query and returns the text the model gets: HTML entities decoded as curation decodes them ("&#39;" →
 * "'"), control characters as spaces, the ends trimmed; everything else (any language, any instruction-like text)
 * is kept as the literal query.
 */
export function prepareQuery(query: unknown, maxChars = DEFAULT_MAX_QUERY_CHARS): string {
  if (typeof query !== "string") throw new InputError(`query must be a string, got ${query === null ? "null" : typeof query}`);
  const text = decodeEntities(query).replace(CONTROL, " ").trim();
  if (!text) throw new InputError("query is empty");
  const length = [...text].length;
  if (length > maxChars) throw new InputError(`query is ${length} characters, over the limit of ${maxChars} (raise it with --max-query-chars)`);
  return text;
}

/** A query read once, for every stage that needs its text or flags (optimizer, guard, judge, refiner). */
export interface PreparedQuery {
  /** The query as given. */
  raw: string;
  /** prepareQuery's text, flags included: what the VPO model gets. */
  query: string;
  /** `query` without its flags: what a model gets with stripFlags. */
  text: string;
  flags: QueryFlags;
  /** Where each flag is in `query`. */
  spans: FlagSpan[];
}

/** prepareQuery, then the flags of the prepared text. Throws InputError for a query prepareQuery refuses. */
export function readQuery(query: string, maxChars = DEFAULT_MAX_QUERY_CHARS): PreparedQuery {
  const prepared = prepareQuery(query, maxChars);
  return { raw: query, query: prepared, ...parseQueryFlags(prepared) };
}

/** A query already read, as opposed to a string (or, from untyped callers, anything else). */
export const isPreparedQuery = (query: unknown): query is PreparedQuery => typeof query === "object" && query !== null && "spans" in query;
