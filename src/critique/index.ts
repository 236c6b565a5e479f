export { judgePrompt, JUDGE_JSON_SCHEMA, DEFAULT_JUDGE_SAMPLING, type JudgeOptions, type PromptFacts, type JudgeResult, type JudgeError } from "./judge-prompt.js";
export { refinePrompt, REFINE_JSON_SCHEMA, DEFAULT_REFINE_SAMPLING, type RefineOptions, type RefineResult } from "./refine-prompt.js";
export { parseJudgement, type ParsedJudgement, type VerdictHints } from "./parse-judgement.js";
export { parseRefinement, type ParsedRefinement } from "./parse-refinement.js";
export { JUDGE_RUBRIC, JUDGE_RUBRIC_INFO, judgeMessages, type JudgeFormat } from "./rubric.js";
export { REFINE_INSTRUCTIONS, REFINE_TEMPLATE_INFO, refineMessages, critiqueText, type RefineFormat } from "./refine-instructions.js";
export { ALIGNMENT_CATEGORIES, judgeReplySchema, stricterCategory, type AlignmentCategory, type JudgeVerdict } from "./verdict.js";
export { assessPrompt, guardCritique, type PromptAssessment, type AssessOptions } from "./assess-prompt.js";
export { judgeBatch, DEFAULT_JUDGE_CONCURRENCY, type JudgeBatchOptions, type JudgeRecord } from "./judge-batch.js";
