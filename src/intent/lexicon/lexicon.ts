import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { z } from "zod";
import { InputError } from "../../errors.js";

/** The lexicon that ships with vpo: derived from WordNet 3.1 by `scripts/build-intent-lexicon.ts`. */
export const DEFAULT_INTENT_LEXICON_PATH = fileURLToPath(new URL("../../../data/intent-lexicon.v1.json.gz", import.meta.url));

export type PartOfSpeech = "noun" | "verb" | "adjective";
const POS_ORDER: PartOfSpeech[] = ["noun", "verb", "adjective"];

// Arrays of a few hundred thousand ids: checked for shape here and for consistency by `Rows`, not element by element
// through zod, which would take a quarter of a second.
const counts = z.custom<number[]>((v) => Array.isArray(v) && (v.length === 0 || Number.isInteger(v[0])), "an array of integers");
const FileSchema = z.object({
  format: z.literal("vpo-intent-lexicon"),
  version: z.literal(1),
  source: z.string(),
  licence: z.string(),
  synsetCounts: z.object({ noun: z.number().int(), verb: z.number().int(), adjective: z.number().int() }),
  words: z.string(),
  partsOfSpeech: counts,
  senseCounts: counts,
  senses: counts,
  hypernymCounts: counts,
  hypernyms: counts,
  formCounts: counts,
  forms: counts,
  exceptionForms: z.string(),
  exceptionCounts: counts,
  exceptionLemmas: counts,
});

/** Rows of ids stored flat: row i is `ids[start[i] .. start[i + 1])`. */
class Rows {
  private readonly start: Uint32Array;
  private readonly ids: Int32Array;
  constructor(lengths: number[], ids: number[], what: string) {
    this.start = new Uint32Array(lengths.length + 1);
    for (let i = 0; i < lengths.length; i++) this.start[i + 1] = this.start[i]! + lengths[i]!;
    if (this.start[lengths.length] !== ids.length) throw new Error(`${what}: the counts add up to ${this.start[lengths.length]}, not ${ids.length}`);
    this.ids = Int32Array.from(ids);
  }
  row(i: number): Int32Array {
    return this.ids.subarray(this.start[i], this.start[i + 1]);
  }
}

function indexOf(sorted: string[], word: string): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const w = sorted[mid]!;
    if (w === word) return mid;
    if (w < word) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * WordNet's words, their common senses, the hypernym graph and derivational links, in typed arrays (about 10 MB in
 * memory). Words and synsets are small integers; lookups are binary searches over the sorted word list.
 */
export class IntentLexicon {
  readonly source: string;
  readonly licence: string;
  private readonly words: string[];
  private readonly posMasks: Uint8Array;
  private readonly senseRows: Rows;
  private readonly hypernymRows: Rows;
  private readonly formRows: Rows;
  private readonly exceptionForms: string[];
  private readonly exceptionRows: Rows;
  private readonly nounEnd: number;
  private readonly verbEnd: number;

  constructor(data: z.infer<typeof FileSchema>) {
    this.source = data.source;
    this.licence = data.licence;
    this.words = data.words.split("\n");
    this.posMasks = Uint8Array.from(data.partsOfSpeech);
    this.senseRows = new Rows(data.senseCounts, data.senses, "senses");
    this.hypernymRows = new Rows(data.hypernymCounts, data.hypernyms, "hypernyms");
    this.formRows = new Rows(data.formCounts, data.forms, "forms");
    this.exceptionForms = data.exceptionForms.split("\n");
    this.exceptionRows = new Rows(data.exceptionCounts, data.exceptionLemmas, "exceptions");
    if ([data.partsOfSpeech, data.senseCounts, data.formCounts].some((rows) => rows.length !== this.words.length)) throw new Error("one entry of parts of speech, senses and forms per word expected");
    this.nounEnd = data.synsetCounts.noun;
    this.verbEnd = data.synsetCounts.noun + data.synsetCounts.verb;
  }

  get size(): number {
    return this.words.length;
  }

  /** The id of a lower-case word or two-word phrase ("golden retriever"), or -1. */
  wordId(word: string): number {
    return indexOf(this.words, word);
  }

  word(id: number): string {
    return this.words[id]!;
  }

  /** The word's common senses (synset ids), most frequent first within each part of speech. */
  senses(id: number): Int32Array {
    return this.senseRows.row(id);
  }

  /** Direct hypernyms (and instance hypernyms: "Paris" → city) of a synset. */
  hypernyms(synset: number): Int32Array {
    return this.hypernymRows.row(synset);
  }

  /** Words derivationally related to a word: "laugh" → laughter, "parisian" → paris, "skydive" → skydiver. */
  forms(id: number): Int32Array {
    return this.formRows.row(id);
  }

  /** Lemmas of an irregular inflection ("men" → the noun man, "ran" → the verb run), empty when regular. */
  exceptionLemmas(form: string): { id: number; pos: PartOfSpeech }[] {
    const i = indexOf(this.exceptionForms, form);
    if (i < 0) return [];
    return [...this.exceptionRows.row(i)].map((code) => ({ id: Math.floor(code / 3), pos: POS_ORDER[code % 3]! }));
  }

  partOfSpeech(synset: number): PartOfSpeech {
    return synset < this.nounEnd ? "noun" : synset < this.verbEnd ? "verb" : "adjective";
  }

  /** True when WordNet lists the word in this part of speech, common senses or not ("wall" the verb, for "walled"). */
  listedAs(id: number, pos: PartOfSpeech): boolean {
    return (this.posMasks[id]! & (1 << POS_ORDER.indexOf(pos))) !== 0;
  }

  /** True when one of the word's common senses is of this part of speech. */
  hasSense(id: number, pos: PartOfSpeech): boolean {
    for (const s of this.senses(id)) if (this.partOfSpeech(s) === pos) return true;
    return false;
  }
}

/** Reads a lexicon file (gzipped JSON written by `scripts/build-intent-lexicon.ts`). */
export function loadIntentLexicon(path: string = DEFAULT_INTENT_LEXICON_PATH): IntentLexicon {
  let raw: unknown;
  try {
    raw = JSON.parse(gunzipSync(readFileSync(path)).toString("utf8"));
  } catch (error) {
    throw new InputError(`cannot read the intent lexicon: ${(error as Error).message}`, path);
  }
  const parsed = FileSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(`not a vpo intent lexicon (v1): ${parsed.error.issues[0]?.message ?? "bad shape"}`, path);
  try {
    return new IntentLexicon(parsed.data);
  } catch (error) {
    throw new InputError(`inconsistent intent lexicon: ${(error as Error).message}`, path);
  }
}

let shipped: IntentLexicon | undefined;

/** The shipped lexicon, read on first use and kept for the life of the process. */
export function getIntentLexicon(): IntentLexicon {
  shipped ??= loadIntentLexicon();
  return shipped;
}
