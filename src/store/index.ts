export { RunStore, STORE_FILE, type OpenRunOptions, type RunInfo } from "./run-store.js";
export type { CompleteOptions } from "./item-queries.js";
export { runStatus, type RunStatus, type StageStatus } from "./status.js";
export type { FailureReason, Item, ItemError, ItemStatus, NewItem, StageCounts } from "./types.js";
