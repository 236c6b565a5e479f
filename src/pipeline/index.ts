export { runDpo, DEFAULT_SAMPLE_SETTINGS, type DpoRunOptions, type DpoRunSummary } from "./run-dpo.js";
export { runSft, DEFAULT_TEACHER_SAMPLING, type SftRunOptions, type SftRunSummary } from "./run-sft.js";
export { pairsForQuery, DEFAULT_PAIR_OPTIONS, type PairDedup, type PairOptions } from "./pairs.js";
export { teacherTemplate, loadDemonstrations, DEFAULT_DEMONSTRATIONS, TEACHER_INSTRUCTIONS, type Demonstration, type TeacherTemplate } from "./teacher.js";
export { CRITIC_TEMPLATES, type Critic, type Judgement } from "./critique.js";
export { STAGES, DPO_STAGE_ORDER, type PairDataRecord, type RecordProvenance, type SftDataRecord, type StageName } from "./records.js";
export type { PipelineProgress, ProgressListener, StageProgress } from "./progress.js";
export type { SampleSettings } from "./stages/sample.js";
export type { RunControl } from "./run-control.js";
