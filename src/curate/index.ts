export { curate, type CurateOptions, type CurateProgress, type CuratePhase } from "./curate.js";
export type { CurateReport, StepCount } from "./report.js";
export { reportMarkdown } from "./report.js";
export type { CuratedRecord } from "./write-outputs.js";
export { normalizeQuery, duplicateKey } from "./normalize.js";
export { sampleAndSplit, type SampleOptions, type SampleResult, type SampledQuery } from "./sample.js";
export { seededRandom, shuffled } from "../util/random.js";
export * from "./readers/index.js";
export * from "./rules/index.js";

export * from "../self-bleu/index.js";
