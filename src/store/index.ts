export { RunStore, STORE_FILE, type OpenRunOptions, type RunInfo, type SessionOutcome } from "./run-store.js";
export type { CompleteOptions } from "./item-queries.js";
export { runStatus, type RunStatus, type StageStatus } from "./status.js";
export { isItemOf, type FailureReason, type Item, type ItemError, type ItemStatus, type NewItem, type StageCounts, type StageId } from "./types.js";
