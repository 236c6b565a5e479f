import { DPO_STAGE_ORDER } from "../pipeline/records.js";
import { runStatus, type StageStatus } from "../store/status.js";
import type { FailureReason } from "../store/types.js";
import type { RunLibrary } from "./run-library.js";

const STAGE_ORDER = ["sft", ...DPO_STAGE_ORDER];

export interface RunSummary {
  name: string;
  id: string;
  pipeline: string;
  createdAt: string;
  /** A live vpo process works on it now: pages poll for progress. */
  active: boolean;
  /** How the last invocation ended ("completed", "stopped", "failed", "crashed"), absent while one runs. */
  lastOutcome?: string;
  stages: StageStatus[];
  /** Items of every stage, and those finished (done or failed): progress = finished / total. */
  total: number;
  finished: number;
  failed: number;
}

export interface RunDetail extends RunSummary {
  failures: FailureReason[];
  sessions: { started: number; crashed: number };
}

/**
 * One run's stages, counts and failure reasons, read without a lock. Its settings (model ids and backend URLs) stay
 * out: `vpo run status --json` shows them to whoever runs it on the machine.
 */
export function runDetail(library: RunLibrary, name: string): RunDetail {
  const status = runStatus(library.dir(name), { stageOrder: STAGE_ORDER, failureLimit: 50 });
  const sum = (pick: (s: StageStatus) => number) => status.stages.reduce((n, s) => n + pick(s), 0);
  return {
    name,
    id: status.run.id,
    pipeline: status.run.pipeline,
    createdAt: status.run.createdAt,
    active: status.active,
    ...(!status.active && status.sessions.last?.outcome ? { lastOutcome: status.sessions.last.outcome } : {}),
    stages: status.stages,
    total: sum((s) => s.pending + s.running + s.done + s.failed),
    finished: sum((s) => s.done + s.failed),
    failed: sum((s) => s.failed),
    failures: status.failures,
    sessions: { started: status.sessions.started, crashed: status.sessions.crashed },
  };
}

/** Every run under the library's root, newest first; a run whose store cannot be read is listed with its reason. */
export function listRuns(library: RunLibrary): (RunSummary | { name: string; error: string })[] {
  const runs = library.names().map((name) => {
    try {
      const { failures: _f, sessions: _s, ...summary } = runDetail(library, name);
      return summary;
    } catch (error) {
      return { name, error: error instanceof Error ? error.message : String(error) };
    }
  });
  const created = (r: RunSummary | { name: string }) => ("createdAt" in r ? r.createdAt : "");
  return runs.sort((a, b) => created(b).localeCompare(created(a)) || a.name.localeCompare(b.name));
}
