export { runBatch, type BatchOptions, type BatchProgress, type BatchSummary, type FailedItemRecord } from "./run-batch.js";
export { readQueries, countQueries, queryFileFormat, type QueryItem, type QueryFileFormat } from "./read-queries.js";
export { JsonlResults, scanResults, compact, type IndexedRecord, type ResultsScan } from "./jsonl-results.js";
