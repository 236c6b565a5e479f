export { evaluateAlignment, DEFAULT_ALIGNMENT_CONCURRENCY, type EvaluateAlignmentOptions, type AlignmentSystem, type AlignmentRun } from "./evaluate-alignment.js";
export { evaluateAlignmentItem, type AlignmentRecord, type AlignmentItemOptions } from "./alignment-item.js";
export { summarizeSystem, alignmentTable, alignmentMarkdown, type AlignmentReport, type SystemAlignment } from "./alignment-report.js";
export { wilsonInterval } from "./wilson.js";
export { FEW_SHOT_TEMPLATE_TEXT, fewShotTemplate } from "./few-shot-template.js";
