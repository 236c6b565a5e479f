import type Database from "better-sqlite3";
import { UsageError } from "../errors.js";
import { currentProcess, isAlive } from "./process-identity.js";

export interface Session {
  id: number;
  /** Items that a crashed earlier invocation had in flight, put back to pending. */
  recovered: number;
  /** Earlier invocations that ended without closing (killed or crashed). */
  crashedSessions: number;
}

interface SessionRow {
  id: number;
  pid: number;
  host: string;
  proc_start: string | null;
  started_at: string;
}

/**
 * Starts this invocation's session (run inside an IMMEDIATE transaction). Refuses when another live process holds the
 * directory; sessions of dead processes are closed as crashed and their in-flight items return to pending, their
 * attempts marked lost. That is the whole of crash recovery: completed items were committed and stay.
 */
export function openSession(db: Database.Database, dir: string, argv: string[] | undefined): Session {
  const me = currentProcess();
  const open = db.prepare("SELECT id, pid, host, proc_start, started_at FROM sessions WHERE ended_at IS NULL").all() as SessionRow[];
  let crashedSessions = 0;
  for (const s of open) {
    const holder = { pid: s.pid, host: s.host, procStart: s.proc_start ?? undefined };
    if (isAlive(holder) && !(s.pid === me.pid && s.host === me.host)) {
      throw new UsageError(`${dir} is in use by another vpo process (pid ${s.pid} on ${s.host}, since ${s.started_at}); wait for it to finish or stop it`);
    }
    crashedSessions++;
  }
  const at = new Date().toISOString();
  db.prepare("UPDATE sessions SET ended_at = ?, outcome = 'crashed' WHERE ended_at IS NULL").run(at);
  db.prepare("UPDATE attempts SET status = 'lost', finished_at = ?, error = '{\"code\":\"lost\",\"message\":\"the process ended while this attempt was in flight\"}' WHERE status = 'running'").run(at);
  const recovered = db.prepare("UPDATE items SET status = 'pending', updated_at = ? WHERE status = 'running'").run(at).changes;
  const id = Number(
    db
      .prepare("INSERT INTO sessions (pid, host, proc_start, started_at, argv) VALUES (?, ?, ?, ?, ?)")
      .run(me.pid, me.host, me.procStart ?? null, at, argv ? JSON.stringify(argv) : null).lastInsertRowid,
  );
  return { id, recovered, crashedSessions };
}
