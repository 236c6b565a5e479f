/**
 * npm run bench:checks — the deterministic checks over the 11,640 dev queries, on one core (one Node thread):
 * queries per second for the safety screen alone and for the full guard check set, and the share flagged per
 * category. Target: >= 20,000 queries/s of CPU time. Timings on a shared 2-core machine are noisy: the best of 5 runs is
 * reported, by CPU time and by the wall clock.
 * Then the intent check's accuracy on VBench's 358 short prompt → GPT-4o rewrite pairs (target: at most 3% failed)
 * and its recall on damaged copies of them, per recorded operation (target: at least 0.9 each).
 */
import { readFileSync } from "node:fs";
import { checkIntent, queryIntent } from "../src/intent/check-intent.js";
import { detectRefusal } from "../src/text/detect-refusal.js";
import { getDefaultLexicon } from "../src/safety/safety-lexicon.js";
import { screenSafety } from "../src/safety/screen-safety.js";
import { damageRecall, loadVbenchPairs } from "./intent-vbench.js";

const queries = JSON.parse(readFileSync(new URL("../../shared/data/queries-dev.json", import.meta.url), "utf8")) as string[];
// A realistic optimizer output per query (about three times the query's length), for the checks that read prompts.
const prompts = queries.map((q) => `A cinematic shot of ${q}, rendered in rich natural light with smooth camera motion and vivid, realistic detail.`);
const lexicon = getDefaultLexicon();

/**
 * Best of 5 passes over the queries, by the process's CPU time and by the wall clock. On a machine shared with other
 * work the wall clock also counts the time the thread waited for a core; CPU time counts the work itself (and the
 * garbage collector's helper threads, so it errs low). The target is judged on CPU time.
 */
function bestRate(label: string, run: (i: number) => void): number {
  for (let i = 0; i < 2000; i++) run(i % queries.length); // warm-up: JIT and caches
  let bestCpu = 0;
  let bestWall = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < queries.length; i++) run(i);
    const cpu = process.cpuUsage(c0);
    bestWall = Math.max(bestWall, queries.length / ((performance.now() - t0) / 1000));
    bestCpu = Math.max(bestCpu, queries.length / ((cpu.user + cpu.system) / 1e6));
  }
  const fmt = (rate: number) => Math.round(rate).toLocaleString("en-US").padStart(9);
  console.log(`${label.padEnd(58)} ${fmt(bestCpu)} queries/s by CPU time (${(bestCpu / 20_000).toFixed(2)}× target), ${fmt(bestWall)} by wall clock`);
  return bestCpu;
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

const pairs = loadVbenchPairs();
const failed = pairs.filter((p) => !checkIntent(p.query, p.rewrite).passed);
const failRate = failed.length / pairs.length;
console.log(`\nintent check on VBench's ${pairs.length} prompt → rewrite pairs: ${failed.length} failed (${(failRate * 100).toFixed(1)}%, target <= 3%)`);
for (const p of failed) {
  const r = checkIntent(p.query, p.rewrite);
  console.log(`  ${`${p.dimension}:${p.line}`.padEnd(22)} ${p.query.slice(0, 60).padEnd(60)} missing: ${[...r.requiredMissing.map((m) => `${m}*`), ...r.missing.filter((m) => !r.requiredMissing.includes(m))].join(", ")}`);
}
const kept = new Map<string, number>();
for (const p of pairs) for (const item of checkIntent(p.query, p.rewrite).items) if (item.keptBy) kept.set(item.keptBy, (kept.get(item.keptBy) ?? 0) + 1);
console.log(`  kept items by rule: ${[...kept].map(([by, n]) => `${by} ${n}`).join(", ")}`);

const ops = damageRecall(pairs);
console.log(`\nrecall on damaged copies (damaged prompt must fail; its control, which keeps the intent, should pass):`);
for (const o of ops) {
  console.log(`  ${o.op.padEnd(14)} ${String(o.pairs).padStart(4)} pairs  recall ${o.recall.toFixed(3)} (${(o.recall / 0.9).toFixed(2)}× target 0.9)  control passed ${o.controlPass.toFixed(3)}`);
  for (const m of o.misses.slice(0, 3)) console.log(`    missed ${m.pair.dimension}:${m.pair.line}: ${m.record}`);
}
const recallMet = ops.every((o) => o.recall >= 0.9);
console.log(`\ntarget >= 20,000 queries/s (CPU time): safety screen ${screenRate >= 20_000 ? "met" : "MISSED"}, all checks ${fullRate >= 20_000 ? "met" : "MISSED"}`);
console.log(`target VBench failures <= 3%: ${failRate <= 0.03 ? "met" : "MISSED"}; recall >= 0.9 per damage operation: ${recallMet ? "met" : "MISSED"}`);
