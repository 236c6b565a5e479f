/**
 * npm run bench:checks — the deterministic checks over the 11,640 dev queries, on one core (one Node thread):
 * queries per second for the safety screen alone and for the full guard check set, and the share flagged per
 * category. Target: >= 20,000 queries/s. Timings on a shared 2-core machine are noisy: the best of 5 runs is reported.
 */
import { readFileSync } from "node:fs";
import { checkIntent, queryIntent } from "../src/intent/check-intent.js";
import { detectRefusal } from "../src/text/detect-refusal.js";
import { getDefaultLexicon } from "../src/safety/safety-lexicon.js";
import { screenSafety } from "../src/safety/screen-safety.js";

const queries = JSON.parse(readFileSync(new URL("../../shared/data/queries-dev.json", import.meta.url), "utf8")) as string[];
// A realistic optimizer output per query (about three times the query's length), for the checks that read prompts.
const prompts = queries.map((q) => `A cinematic shot of ${q}, rendered in rich natural light with smooth camera motion and vivid, realistic detail.`);
const lexicon = getDefaultLexicon();

function bestRate(label: string, run: (i: number) => void): number {
  for (let i = 0; i < 2000; i++) run(i % queries.length); // warm-up: JIT and caches
  let best = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    for (let i = 0; i < queries.length; i++) run(i);
    const rate = queries.length / ((performance.now() - t0) / 1000);
    best = Math.max(best, rate);
  }
  console.log(`${label.padEnd(58)} ${Math.round(best).toLocaleString("en-US").padStart(9)} queries/s  (${(best / 20_000).toFixed(2)}× target)`);
  return best;
}

console.log(`deterministic checks over ${queries.length.toLocaleString("en-US")} dev queries, lexicon ${lexicon.name}@${lexicon.version}, Node ${process.version}, one thread\n`);
const screenRate = bestRate("safety screen (query)", (i) => void screenSafety(queries[i]!, lexicon));
bestRate("refusal detection (prompt)", (i) => void detectRefusal(prompts[i]!));
bestRate("intent check (query vs prompt, screens the query)", (i) => void checkIntent(queries[i]!, prompts[i]!));
// The guard's per-query work: the query side (intent items + screen of its flag-free text) once, then the prompt checks.
const fullRate = bestRate("all: query intent+screen, prompt screen, refusal, intent", (i) => {
  const intent = queryIntent(queries[i]!);
  screenSafety(prompts[i]!, lexicon);
  detectRefusal(prompts[i]!);
  checkIntent(intent, prompts[i]!);
});

const counts = new Map<string, number>(lexicon.categories.map((c) => [c.id, 0]));
let flagged = 0;
for (const q of queries) {
  const r = screenSafety(q, lexicon);
  if (r.flagged) flagged++;
  for (const c of r.categories) counts.set(c, counts.get(c)! + 1);
}
console.log(`\nflagged by the safety screen: ${flagged} of ${queries.length} (${((flagged / queries.length) * 100).toFixed(2)}%)`);
for (const [id, n] of counts) console.log(`  ${id.padEnd(18)} ${String(n).padStart(5)}  ${((n / queries.length) * 100).toFixed(2)}%`);
console.log(`\ntarget >= 20,000 queries/s: safety screen ${screenRate >= 20_000 ? "met" : "MISSED"}, all checks ${fullRate >= 20_000 ? "met" : "MISSED"}`);
