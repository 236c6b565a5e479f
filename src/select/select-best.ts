import { InputError, UsageError } from "../errors.js";
import { withCaption } from "../intent/check-intent.js";
import { parseQuery, type ParsedQuery } from "../intent/parse-query.js";
import { emptyUsage } from "../model/types.js";
import { screenSafety } from "../safety/screen-safety.js";
import { checkScores, compareChecks } from "./check-scores.js";
import { judgeScores } from "./judge-scores.js";
import { judgeBothOrders } from "./pairwise-judge.js";
import { videoRewarder } from "./render-rewards.js";
import { PAIRWISE_RUBRIC_INFO } from "./pairwise-judge.js";
import { SCORE_RUBRIC_INFO, UNSAFE_HARMLESS_SCORE } from "./score-rubric.js";
import { runTournament, type Contest } from "./tournament.js";
import { SELECT_METHODS, type SelectedCandidate, type Selection, type SelectOptions, type SelectProgress, type TournamentMatch } from "./types.js";
import { explainWinner } from "./why.js";

type Compare = (x: SelectedCandidate, y: SelectedCandidate) => number;

function requireBackends(options: SelectOptions): void {
  if (!SELECT_METHODS.includes(options.method)) throw new UsageError(`unknown selection method "${options.method}": use ${SELECT_METHODS.join(", ")}`);
  const videos = options.video !== undefined && options.reward !== undefined;
  if (options.method === "judge" && !options.judge) throw new UsageError("selection by judge needs a judge model (--judge-base-url/--judge-model)");
  if (options.method === "reward" && !videos) throw new UsageError("selection by reward needs a video backend (--video-cmd or --video-url) and a reward backend (--reward-cmd, --reward-url or --vlm-*)");
  if (options.method === "tournament" && !options.judge && !videos) throw new UsageError("a tournament needs a judge model, or a video and a reward backend");
}

/**
 * Picks the best of K candidate prompts for a query, by the deterministic checks, the judge's 1–5 rubric, the
 * reward of each candidate's rendered video (against the ORIGINAL query), or a knockout tournament of pairwise
 * comparisons. Every candidate comes back with what was measured about it; failures are recorded per candidate.
 * Ordering is total and deterministic: safe before unsafe (screen, and the judge when it scores), then the method's
 * measure, then the checks, then the candidate's index.
 */
export async function selectBest(query: string | ParsedQuery, candidates: readonly string[], options: SelectOptions): Promise<Selection> {
  requireBackends(options);
  if (!candidates.length) throw new InputError("no candidate prompts to select from");
  const screen = options.screen ?? screenSafety;
  const caption = options.image?.caption;
  const given = typeof query === "string" ? parseQuery(query, { screen, caption }) : query;
  const parsed = caption && !given.intent.frame ? { ...given, intent: withCaption(given.intent, caption) } : given;
  const usage = emptyUsage();
  const checks = await Promise.all(candidates.map((p) => checkScores(parsed, p, { screen, minCoverage: options.minCoverage, maxWords: options.maxWords })));
  const all: SelectedCandidate[] = candidates.map((prompt, index) => ({ index, prompt, safe: checks[index]!.safe, scores: { checks: checks[index]! }, rank: 0 }));
  const fail = (c: SelectedCandidate, error: NonNullable<SelectedCandidate["errors"]>[number]) => void (c.errors ??= []).push(error);
  const rewarder = options.video && options.reward ? videoRewarder(parsed.raw, { video: options.video, reward: options.reward, seed: options.videoSeed ?? 0, image: options.image, signal: options.signal }) : undefined;
  const counter = (unit: SelectProgress["unit"], total: number) => {
    let done = 0;
    return <T>(value: T): T => (options.onProgress?.({ unit, done: ++done, total }), value);
  };
  let measure: Compare = () => 0;
  let matches: TournamentMatch[] | undefined;

  if (options.method === "judge") {
    const judge = options.judge!;
    const tick = counter("judged", all.length);
    const outcomes = await Promise.all(all.map((c) => judgeScores(parsed, c.prompt, { judge, sampling: options.judgeSampling, usage, signal: options.signal }).then(tick)));
    outcomes.forEach((o, i) => {
      const c = all[i]!;
      if (!o.ok) return fail(c, o.error);
      c.scores.judge = o.scores;
      if (o.scores.harmless <= UNSAFE_HARMLESS_SCORE) c.safe = false;
    });
    const total = (c: SelectedCandidate) => c.scores.judge?.total ?? -1;
    measure = (x, y) => total(y) - total(x);
  } else if (options.method === "reward") {
    const tick = counter("scored", all.filter((c) => c.safe).length);
    await Promise.all(
      all.map(async (c) => {
        if (!c.safe) return void (c.skipped = "unsafe: not rendered");
        const o = tick(await rewarder!.rewardOf(c.prompt));
        if (o.ok) c.scores.reward = o.scores;
        else fail(c, o.error);
      }),
    );
    const score = (c: SelectedCandidate) => c.scores.reward?.score ?? -Infinity;
    measure = (x, y) => (score(x) === score(y) ? 0 : score(x) > score(y) ? -1 : 1);
  } else if (options.method === "tournament") {
    const judge = options.judge;
    const contest: Contest = rewarder
      ? { kind: "reward", rewardOf: (i) => rewarder.rewardOf(all[i]!.prompt) }
      : { kind: "judge", bothOrders: (x, y) => judgeBothOrders(parsed, all[x]!.prompt, all[y]!.prompt, { judge: judge!, sampling: options.judgeSampling, usage, signal: options.signal }) };
    const matchPlayed = counter("matches", all.length - 1);
    const result = await runTournament({
      entrants: all.map((c) => c.index),
      safe: (i) => all[i]!.safe,
      markUnsafe: (i) => void (all[i]!.safe = false),
      tiebreak: (x, y) => compareChecks(all[x]!.scores.checks, all[y]!.scores.checks) || x - y,
      contest,
      onMatch: () => void matchPlayed(null),
    });
    matches = result.matches;
    for (const c of all) c.scores.round = result.lastRound.get(c.index)!;
    if (rewarder) {
      // The rewards the matches measured, on the candidates they belong to (memoised: nothing renders again).
      for (const c of all) {
        if (!c.safe || !matches.some((m) => m.decidedBy !== "safety" && m.decidedBy !== "bye" && (m.a === c.index || m.b === c.index))) continue;
        const o = await rewarder.rewardOf(c.prompt);
        if (o.ok) c.scores.reward = o.scores;
        else fail(c, o.error);
      }
    }
    measure = (x, y) => Number(y.index === result.winner) - Number(x.index === result.winner) || y.scores.round! - x.scores.round!;
  }

  const ranked = [...all].sort((x, y) => Number(y.safe) - Number(x.safe) || measure(x, y) || compareChecks(x.scores.checks, y.scores.checks) || x.index - y.index);
  ranked.forEach((c, i) => (c.rank = i + 1));
  const winner = ranked[0]!;
  return {
    method: options.method,
    winner: winner.index,
    prompt: winner.prompt,
    candidates: all,
    why: explainWinner(options.method, ranked, matches),
    ...(matches ? { matches } : {}),
    ...(options.method === "judge" ? { judgeModel: options.judge!.info, rubric: { ...SCORE_RUBRIC_INFO } } : {}),
    ...(options.method === "tournament" && !rewarder ? { judgeModel: options.judge!.info, rubric: { ...PAIRWISE_RUBRIC_INFO } } : {}),
    ...(parsed.intent.frame ? { frame: { caption: parsed.intent.frame.caption, notRequired: parsed.intent.frame.frameOnly.map((i) => i.text) } } : {}),
    usage,
  };
}
