/**
 * npm run bench:language — the language checks on real text: eld's load time (paid once per process), detection
 * speed over the 11,640 dev queries and the languages it finds (target: at least 97% English, the share a reading of
 * the queries shows; the rest are real Spanish, Portuguese, French … queries and 2–4-word English ones eld misreads),
 * and false "not English" verdicts on VBench's 358 GPT-4o rewrites (target: 0, each one would be a needless re-ask).
 */
import { readdirSync, readFileSync } from "node:fs";
import { readQuery } from "../src/optimize/query.js";
import { detectLanguage, isInLanguage } from "../src/text/detect-language.js";

const queries = JSON.parse(readFileSync(new URL("../../shared/data/queries-dev.json", import.meta.url), "utf8")) as string[];
const vbench = new URL("../../shared/data/vbench/", import.meta.url);
const rewrites = readdirSync(vbench)
  .filter((f) => f.endsWith("_longer.txt"))
  .flatMap((f) => readFileSync(new URL(f, vbench), "utf8").split("\n").filter(Boolean));

const flagFree = (q: string) => {
  try {
    return readQuery(q).text;
  } catch {
    return q;
  }
};

let t0 = performance.now();
await detectLanguage("a first query loads the n-gram table");
console.log(`eld "small" table loaded and first query answered in ${(performance.now() - t0).toFixed(0)} ms (once per process)`);

const texts = queries.map(flagFree);
t0 = performance.now();
const counts = new Map<string, number>();
let reliable = 0;
for (const text of texts) {
  const guess = await detectLanguage(text);
  counts.set(guess.language, (counts.get(guess.language) ?? 0) + 1);
  if (guess.reliable) reliable++;
}
const ms = performance.now() - t0;
const english = (counts.get("en") ?? 0) / texts.length;
console.log(`${texts.length} dev queries in ${ms.toFixed(0)} ms (${((ms * 1000) / texts.length).toFixed(0)} µs each); ${reliable} reliable`);
console.log(`languages: ${[...counts].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([l, n]) => `${l} ${n}`).join(", ")}`);
console.log(`English share ${(english * 100).toFixed(1)}% (target >= 97%: ${(english / 0.97).toFixed(3)}× target)`);

let wrong = 0;
for (const prompt of rewrites) if (!(await isInLanguage(prompt, "en"))) wrong++;
console.log(`VBench GPT-4o rewrites judged not English: ${wrong} of ${rewrites.length} (target 0)`);
