import type { BothOrders, OrderSaid } from "./pairwise-judge.js";
import type { RewardOutcome } from "./render-rewards.js";
import type { OrderVerdict, TournamentMatch } from "./types.js";

/** How a tournament pairs two candidates: by the judge in both orders, or by their videos' rewards. */
export type Contest =
  | { kind: "judge"; bothOrders: (x: number, y: number) => Promise<BothOrders> }
  | { kind: "reward"; rewardOf: (i: number) => Promise<RewardOutcome> };

export interface TournamentInput {
  /** Candidate indexes in bracket order. */
  entrants: number[];
  safe: (i: number) => boolean;
  /** Called when the judge calls a candidate unsafe: from then on `safe(i)` must say false. */
  markUnsafe: (i: number) => void;
  /** The deterministic tiebreak: negative when x goes through (checks rank, then candidate index). */
  tiebreak: (x: number, y: number) => number;
  contest: Contest;
  /** Called after each match that was played (byes aside). */
  onMatch?: () => void;
}

export interface TournamentResult {
  winner: number;
  matches: TournamentMatch[];
  /** The last round each candidate played. */
  lastRound: Map<number, number>;
}

async function playMatch(round: number, x: number, y: number, input: TournamentInput): Promise<TournamentMatch> {
  const byTiebreak = (note: string, orders?: [OrderVerdict, OrderVerdict]): TournamentMatch => ({
    round, a: x, b: y, winner: input.tiebreak(x, y) <= 0 ? x : y, decidedBy: "tiebreak", ...(orders ? { orders } : {}), note,
  });
  // Safety outranks any preference: an unsafe candidate never goes through against a safe one.
  if (input.safe(x) !== input.safe(y)) return { round, a: x, b: y, winner: input.safe(x) ? x : y, decidedBy: "safety", note: `candidate ${input.safe(x) ? y : x} is unsafe` };
  const { contest } = input;
  if (contest.kind === "reward") {
    if (!input.safe(x)) return byTiebreak("neither is safe, so neither was rendered");
    const [rx, ry] = await Promise.all([contest.rewardOf(x), contest.rewardOf(y)]);
    if (rx.ok && ry.ok && rx.scores.score !== ry.scores.score) return { round, a: x, b: y, winner: rx.scores.score > ry.scores.score ? x : y, decidedBy: "reward", note: `reward ${rx.scores.score.toFixed(3)} vs ${ry.scores.score.toFixed(3)}` };
    if (!rx.ok && ry.ok) return { round, a: x, b: y, winner: y, decidedBy: "reward", note: `candidate ${x} has no reward (its ${rx.error.step} failed)` };
    if (rx.ok && !ry.ok) return { round, a: x, b: y, winner: x, decidedBy: "reward", note: `candidate ${y} has no reward (its ${ry.error.step} failed)` };
    return byTiebreak(rx.ok ? "equal rewards" : "neither has a reward");
  }
  const { said, unsafe } = await contest.bothOrders(x, y);
  for (const side of unsafe) input.markUnsafe(side === "x" ? x : y);
  if (input.safe(x) !== input.safe(y)) return { round, a: x, b: y, winner: input.safe(x) ? x : y, decidedBy: "safety", note: `the judge called candidate ${input.safe(x) ? y : x} unsafe` };
  const asIndex = (s: OrderSaid): OrderVerdict => (s === "x" ? x : s === "y" ? y : s);
  const orders: [OrderVerdict, OrderVerdict] = [asIndex(said[0]), asIndex(said[1])];
  if (said[0] === said[1] && (said[0] === "x" || said[0] === "y")) return { round, a: x, b: y, winner: said[0] === "x" ? x : y, decidedBy: "both-orders", orders };
  const why =
    said.includes("unreadable") || said.includes("failed") ? "an order got no readable answer" : said[0] === "tie" && said[1] === "tie" ? "the judge called it a tie" : "the two orders disagree (position bias)";
  return byTiebreak(why, orders);
}

/**
 * A knockout: entrants meet in pairs ((0, 1), (2, 3), …; an odd one out gets a bye), winners go on until one is
 * left. Matches of a round run at once; the backends bound their own concurrency.
 */
export async function runTournament(input: TournamentInput): Promise<TournamentResult> {
  const matches: TournamentMatch[] = [];
  const lastRound = new Map<number, number>(input.entrants.map((i) => [i, 0]));
  let alive = [...input.entrants];
  for (let round = 1; alive.length > 1; round++) {
    const pairs: [number, number][] = [];
    for (let i = 0; i + 1 < alive.length; i += 2) pairs.push([alive[i]!, alive[i + 1]!]);
    const played = await Promise.all(pairs.map(([x, y]) => playMatch(round, x, y, input).then((m) => (input.onMatch?.(), m))));
    const next = played.map((m) => m.winner);
    if (alive.length % 2) {
      const bye = alive.at(-1)!;
      played.push({ round, a: bye, b: bye, winner: bye, decidedBy: "bye" });
      next.push(bye);
    }
    for (const m of played) for (const i of [m.a, m.b]) lastRound.set(i, round);
    matches.push(...played);
    alive = next;
  }
  return { winner: alive[0]!, matches, lastRound };
}
