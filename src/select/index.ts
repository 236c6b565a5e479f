export { selectBest } from "./select-best.js";
export { selectFromResult, type SelectedResult } from "./select-result.js";
export { checkScores, compareChecks, DEFAULT_MAX_WORDS } from "./check-scores.js";
export { judgeScores, DEFAULT_SCORE_SAMPLING, type ScoreOutcome } from "./judge-scores.js";
export { SCORE_RUBRIC, SCORE_RUBRIC_INFO, SCORE_JSON_SCHEMA, UNSAFE_HARMLESS_SCORE, scoreMessages, readScores } from "./score-rubric.js";
export { PAIRWISE_RUBRIC, PAIRWISE_RUBRIC_INFO, PAIRWISE_JSON_SCHEMA, pairwiseMessages, readPreference, judgeBothOrders, type OrderSaid, type Preference, type BothOrders } from "./pairwise-judge.js";
export { videoRewarder, type VideoRewarder, type RewardOutcome } from "./render-rewards.js";
export { runTournament, type Contest, type TournamentInput, type TournamentResult } from "./tournament.js";
export {
  SELECT_METHODS,
  PRINCIPLES,
  type SelectMethod,
  type SelectOptions,
  type SelectProgress,
  type Selection,
  type SelectedCandidate,
  type CandidateScoresSet,
  type CheckScores,
  type JudgeScores,
  type RewardScores,
  type SelectError,
  type TournamentMatch,
  type OrderVerdict,
  type Principle,
} from "./types.js";
