export { comparePairwise, type PairwiseReport, type PairwiseSide, type Rate, type Tally } from "./compare-pairwise.js";
