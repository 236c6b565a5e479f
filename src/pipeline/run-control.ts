import type { Logger } from "../util/logger.js";
import type { ProgressListener } from "./progress.js";

/** How a pipeline run is driven, the same for `vpo data sft` and `vpo data dpo`. */
export interface RunControl {
  /** Redo items that failed in an earlier run (steps that worked are kept). */
  retryFailed?: boolean;
  /** Resume even though result-deciding settings (models, seeds, templates) changed. */
  allowChanges?: boolean;
  /** Queries in flight at once (default: enough to keep every backend busy). */
  maxActiveQueries?: number;
  /** Stop starting new items; those in flight finish and are committed. */
  stop?: AbortSignal;
  /** Abort items in flight too; they return to pending. */
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  logger?: Logger;
  /** The command line, recorded with the run. */
  argv?: string[];
  /** Runtime settings to record with the run (concurrency, timeouts). */
  config?: Record<string, unknown>;
}
