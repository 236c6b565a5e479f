import { existsSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { failureReasons, stageCounts } from "./item-queries.js";
import { isAlive } from "./process-identity.js";
import { RunStore, STORE_FILE, type RunInfo } from "./run-store.js";
import type { FailureReason, StageCounts } from "./types.js";

export interface StageStatus extends StageCounts {
  startedAt?: string;
  finishedAt?: string;
}

export interface RunStatus {
  dir: string;
  run: RunInfo;
  stages: StageStatus[];
  failures: FailureReason[];
  sessions: { started: number; crashed: number; last?: { startedAt: string; endedAt?: string; outcome?: string; pid: number } };
  /** A live process is working on the directory now. */
  active: boolean;
}

/** What `vpo run status DIR` shows: per-stage counts, failure reasons, sessions. Reads only; takes no lock. */
export function runStatus(dir: string, { stageOrder = [] as string[], failureLimit = 20 } = {}): RunStatus {
  if (!existsSync(join(dir, STORE_FILE))) throw new UsageError(`${dir} has no ${STORE_FILE}: not a vpo run directory (or nothing ran yet)`);
  const { db, run } = RunStore.openReadOnly(dir);
  try {
    const marks = new Map(
      (db.prepare("SELECT name, started_at, finished_at FROM stages").all() as { name: string; started_at: string | null; finished_at: string | null }[]).map((r) => [r.name, r]),
    );
    const counts = stageCounts(db);
    for (const name of marks.keys()) if (!counts.some((c) => c.stage === name)) counts.push({ stage: name, pending: 0, running: 0, done: 0, failed: 0 });
    const rank = (s: string) => (stageOrder.includes(s) ? stageOrder.indexOf(s) : stageOrder.length);
    const stages = counts
      .sort((a, b) => rank(a.stage) - rank(b.stage) || a.stage.localeCompare(b.stage))
      .map((c) => {
        const m = marks.get(c.stage);
        return { ...c, ...(m?.started_at ? { startedAt: m.started_at } : {}), ...(m?.finished_at ? { finishedAt: m.finished_at } : {}) };
      });
    const sessions = db.prepare("SELECT pid, host, proc_start, started_at, ended_at, outcome FROM sessions ORDER BY id").all() as {
      pid: number;
      host: string;
      proc_start: string | null;
      started_at: string;
      ended_at: string | null;
      outcome: string | null;
    }[];
    const last = sessions.at(-1);
    const active = sessions.some((s) => s.ended_at === null && isAlive({ pid: s.pid, host: s.host, procStart: s.proc_start ?? undefined }));
    return {
      dir,
      run,
      stages,
      failures: failureReasons(db, failureLimit),
      sessions: {
        started: sessions.length,
        crashed: sessions.filter((s) => s.outcome === "crashed" || (s.ended_at === null && !isAlive({ pid: s.pid, host: s.host, procStart: s.proc_start ?? undefined }))).length,
        ...(last ? { last: { startedAt: last.started_at, ...(last.ended_at ? { endedAt: last.ended_at } : {}), ...(last.outcome ? { outcome: last.outcome } : {}), pid: last.pid } } : {}),
      },
      active,
    };
  } finally {
    db.close();
  }
}
