import { InputError } from "../errors.js";

export const DEFAULT_MAX_QUERY_CHARS = 4000;

// C0 and C1 control characters other than tab and newline, plus zero-width and bidi-override characters.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200D\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/**
 * Checks a query and returns the text the model gets: control characters become spaces, the ends are trimmed,
 * everything else (any language, any instruction-like text) is kept as the literal query.
 */
export function prepareQuery(query: unknown, maxChars = DEFAULT_MAX_QUERY_CHARS): string {
  if (typeof query !== "string") throw new InputError(`query must be a string, got ${query === null ? "null" : typeof query}`);
  const text = query.replace(CONTROL, " ").trim();
  if (!text) throw new InputError("query is empty");
  const length = [...text].length;
  if (length > maxChars) throw new InputError(`query is ${length} characters, over the limit of ${maxChars} (raise it with --max-query-chars)`);
  return text;
}
