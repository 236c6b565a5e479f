/**
 * npm run bench:safety — the lexicon screen on the hand-labelled dev queries (../shared/data/safety-labels-dev.jsonl):
 * recall, precision and false-positive rates overall and per category, on the `random` part (an unbiased sample,
 * held out from lexicon tuning) and on the `screen-flagged` + `risk-words` parts (where lexicon changes were tuned).
 * Targets: false-positive rate <= 5% on safe queries and <= 10% on edgy-benign ones, read on the random part (the
 * other parts were sampled by what the screen flags, so their rates are not rates of real traffic).
 */
import { readFileSync } from "node:fs";
import { getDefaultLexicon } from "../src/safety/safety-lexicon.js";
import { createSafetyScreen } from "../src/safety/screen-safety.js";
import { scoreScreen, type SafetyLabel, type ScreenScore } from "../src/safety/labels/score-screen.js";

const rows = readFileSync(new URL("../../shared/data/safety-labels-dev.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as SafetyLabel);
const lexicon = getDefaultLexicon();
const screen = createSafetyScreen(lexicon);

const pct = (x: number) => (Number.isNaN(x) ? "   –  " : `${(x * 100).toFixed(1).padStart(5)}%`);

function show(label: string, s: ScreenScore): void {
  console.log(`\n${label}: ${s.n} queries, ${s.unsafe} unsafe`);
  console.log(`  overall   recall ${pct(s.recall)}  precision ${pct(s.precision)}  FPR safe ${pct(s.fprSafe)} (target <= 5%)  FPR edgy-benign ${pct(s.fprEdgy)} (target <= 10%)`);
  console.log("  category        labelled  recall  precision    FPR");
  for (const c of s.perCategory) console.log(`  ${c.category.padEnd(15)} ${String(c.labelled).padStart(8)}  ${pct(c.recall)}   ${pct(c.precision)}  ${pct(c.fpr)}`);
}

console.log(`lexicon ${lexicon.name}@${lexicon.version} on ${rows.length} labelled dev queries`);
show("held out: random part", scoreScreen(rows.filter((r) => r.part === "random"), screen));
show("tuned on: screen-flagged + risk-words parts", scoreScreen(rows.filter((r) => r.part !== "random"), screen));
show("all parts", scoreScreen(rows, screen));
