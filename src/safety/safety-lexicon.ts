import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { InputError } from "../errors.js";
import { firstTokens, parsePattern, singleWords, type PatternSegment } from "./lexicon-patterns.js";
import { squeeze } from "../text/tokens.js";

/** The lexicon file format (`data/safety-lexicon.v1.json`). */
export const safetyLexiconFileSchema = z
  .object({
    name: z.string(),
    version: z.string(),
    description: z.string().optional(),
    /** Word lists patterns may reference as `@name`; combination rules use them as context markers. */
    groups: z.record(z.string(), z.array(z.string())),
    categories: z.record(
      z.string(),
      z.object({
        description: z.string(),
        /** The T2VSafetyBench aspects this category corresponds to. */
        t2vsafetybench: z.array(z.string()).default([]),
        terms: z.array(z.string()).min(1),
      }),
    ),
    /** A category raised when a group word and a match from one of `with` occur in the same text. */
    combinations: z.array(z.object({ category: z.string(), description: z.string(), group: z.string(), with: z.array(z.string()).min(1) })).default([]),
    /** Phrases inside which matches do not count ("same-sex couple", "blood moon", "shooting star"). */
    allow: z.array(z.string()).default([]),
  })
  .strict();

export type SafetyLexiconFile = z.infer<typeof safetyLexiconFileSchema>;

export type PhraseKind = "flag" | "marker" | "allow";

export interface LexiconPhrase {
  segments: PatternSegment[];
  /** A category id; for markers the group name; for allow phrases "allow". */
  category: string;
  /** The lexicon entry the phrase came from. */
  term: string;
  kind: PhraseKind;
}

export interface CategoryInfo {
  id: string;
  description: string;
  t2vsafetybench: string[];
}

export interface CompiledLexicon {
  name: string;
  version: string;
  categories: CategoryInfo[];
  combinations: SafetyLexiconFile["combinations"];
  /** Phrases by the words a match can start with. */
  exact: Map<string, LexiconPhrase[]>;
  /** Phrases that can start with a stem, by the stem's first STEM_KEY characters. */
  stems: Map<string, LexiconPhrase[]>;
  /** One-word flag phrases by their squeezed form, for words with repeated letters ("nakkked"). */
  squeezed: Map<string, LexiconPhrase[]>;
  /** One-word flag phrases by length, for masked words ("p*rn"). */
  byLength: Map<number, LexiconPhrase[]>;
  /** One-stem flag phrases ("porn*"), for masked words. */
  singleStems: { stem: string; phrase: LexiconPhrase }[];
  /** One-word phrases in a script written without spaces (Chinese, Japanese): found as substrings of a token. */
  unspaced: { text: string; phrase: LexiconPhrase }[];
}

/** Scripts written without spaces between words: a token there is a whole run of text, so terms match inside it. */
export const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

export const STEM_KEY = 4;

function push<K>(map: Map<K, LexiconPhrase[]>, key: K, phrase: LexiconPhrase): void {
  const list = map.get(key);
  if (list) list.push(phrase);
  else map.set(key, [phrase]);
}

/** Validates and compiles a lexicon; `source` names the file in error messages. */
export function compileLexicon(data: unknown, source = "safety lexicon"): CompiledLexicon {
  const parsed = safetyLexiconFileSchema.safeParse(data);
  if (!parsed.success) throw new InputError(`invalid safety lexicon: ${z.prettifyError(parsed.error).replace(/\n/g, "; ")}`, source);
  const file = parsed.data;
  const lexicon: CompiledLexicon = {
    name: file.name,
    version: file.version,
    categories: Object.entries(file.categories).map(([id, c]) => ({ id, description: c.description, t2vsafetybench: c.t2vsafetybench })),
    combinations: file.combinations,
    exact: new Map(),
    stems: new Map(),
    squeezed: new Map(),
    byLength: new Map(),
    singleStems: [],
    unspaced: [],
  };
  const add = (pattern: string, category: string, kind: PhraseKind) => {
    let segments: PatternSegment[];
    try {
      segments = parsePattern(pattern, file.groups);
    } catch (error) {
      throw new InputError(`${category}: ${(error as Error).message}`, source);
    }
    const phrase: LexiconPhrase = { segments, category, term: pattern, kind };
    const only = segments.length === 1 && segments[0]!.options.length === 1 && segments[0]!.options[0]!.length === 1 ? segments[0]!.options[0]![0]! : undefined;
    if (only && !only.stem && UNSPACED_SCRIPT.test(only.text)) {
      lexicon.unspaced.push({ text: only.text, phrase });
      return;
    }
    const seen = new Set<string>();
    for (const first of firstTokens(segments)) {
      const key = `${first.stem ? "*" : ""}${first.text}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (first.stem) {
        if (first.text.length < STEM_KEY) throw new InputError(`${category}: stem "${first.text}*" is shorter than ${STEM_KEY} letters`, source);
        push(lexicon.stems, first.text.slice(0, STEM_KEY), phrase);
      } else push(lexicon.exact, first.text, phrase);
    }
    if (kind === "flag") {
      for (const word of singleWords(segments)) {
        // "kkk" and "xxx" squeeze to one letter, which any doubled initials would match.
        if (squeeze(word).length >= 3) push(lexicon.squeezed, squeeze(word), phrase);
        push(lexicon.byLength, word.length, phrase);
      }
      if (segments.length === 1 && !segments[0]!.optional) {
        for (const [token] of segments[0]!.options.filter((o) => o.length === 1 && o[0]!.stem)) lexicon.singleStems.push({ stem: token!.text, phrase });
      }
    }
  };
  for (const [category, { terms }] of Object.entries(file.categories)) for (const term of terms) add(term, category, "flag");
  for (const rule of file.combinations) {
    const group = file.groups[rule.group];
    if (!group) throw new InputError(`combination "${rule.category}" names unknown group "${rule.group}"`, source);
    for (const other of rule.with) if (!file.categories[other]) throw new InputError(`combination "${rule.category}" names unknown category "${other}"`, source);
    for (const word of group) add(word, rule.group, "marker");
    if (!lexicon.categories.some((c) => c.id === rule.category)) {
      lexicon.categories.push({ id: rule.category, description: rule.description, t2vsafetybench: [] });
    }
  }
  for (const phrase of file.allow) add(phrase, "allow", "allow");
  return lexicon;
}

/** The lexicon that ships with vpo, `data/safety-lexicon.v1.json` at the package root. */
export const DEFAULT_LEXICON_PATH = fileURLToPath(new URL("../../data/safety-lexicon.v1.json", import.meta.url));

let defaultLexicon: CompiledLexicon | undefined;

export function loadLexicon(path: string): CompiledLexicon {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === "ENOENT" ? "no such file" : `not valid JSON: ${(error as Error).message}`, path);
  }
  return compileLexicon(data, path);
}

export function getDefaultLexicon(): CompiledLexicon {
  defaultLexicon ??= loadLexicon(DEFAULT_LEXICON_PATH);
  return defaultLexicon;
}
