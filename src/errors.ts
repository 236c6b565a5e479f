/**
 * Error classes with stable codes. Callers branch on `code` or `isInstance`, never on message text.
 * Messages are one line a user can act on.
 */
export type VpoErrorCode =
  | "usage" // bad flags or arguments
  | "input" // bad query, unreadable file, malformed line
  | "backend" // the model server failed (HTTP error, connection refused, timeout)
  | "aborted" // cancelled by the caller (SIGINT, AbortSignal)
  | "model-output" // the model answered, but with nothing usable
  | "model-load" // a GGUF could not be loaded
  | "no-model" // nothing to run: no --model, --base-url or cached default
  | "refused" // a guard policy declined to produce a prompt for unsafe content
  | "integrity" // a download does not match the checksum its source publishes
  | "engine-missing" // a training engine's CLI (llamafactory-cli, trl) is not installed
  | "over-budget" // a prompt could not be brought within the target's text-encoder token budget
  // The HTTP service's own refusals (`vpo serve`), each with its HTTP status:
  | "unauthorized" // 401: no or unknown API key
  | "not-found" // 404: no such route or model
  | "too-large" // 413: the request body is over the limit
  | "rate-limited" // 429: this key sent too many requests
  | "overloaded" // 503: every slot and the whole wait queue are taken
  | "timeout" // 504: the request ran past its time limit
  | "ffmpeg-missing" // no working ffmpeg: VPO_FFMPEG, PATH and the bundled npm binary all failed
  | "queue"; // the scale-out queue (Redis/BullMQ): unreachable, no worker for a job kind, a job failed on its last attempt

const marker = Symbol.for("vpo.error");

export class VpoError extends Error {
  readonly [marker] = true;
  override name = "VpoError";
  constructor(
    readonly code: VpoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static isInstance(error: unknown): error is VpoError {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }

  toJSON(): { code: VpoErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export class UsageError extends VpoError {
  override name = "UsageError";
  constructor(message: string) {
    super("usage", message);
  }
}

/** Bad input; `file` and `line` say where when it came from a file. */
export class InputError extends VpoError {
  override name = "InputError";
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super("input", file ? `${file}${line ? `:${line}` : ""}: ${message}` : message);
  }
}

export class BackendError extends VpoError {
  override name = "BackendError";
  /** No answer within the per-attempt timeout (rather than an HTTP error or a refused connection). */
  readonly timedOut: boolean;
  constructor(
    message: string,
    readonly url: string | undefined,
    readonly status?: number,
    options?: { cause?: unknown; timedOut?: boolean },
  ) {
    super("backend", message, options);
    this.timedOut = options?.timedOut ?? false;
  }
}

/** A refusal of the HTTP service itself; `retryAfterS` becomes a Retry-After header. */
export class ServiceError extends VpoError {
  override name = "ServiceError";
  constructor(
    code: "unauthorized" | "not-found" | "too-large" | "rate-limited" | "overloaded" | "timeout",
    message: string,
    readonly retryAfterS?: number,
  ) {
    super(code, message);
  }
}

export class AbortedError extends VpoError {
  override name = "AbortedError";
  constructor(message = "aborted") {
    super("aborted", message);
  }
}

export type ModelOutputReason = "empty" | "degenerate" | "reasoning-only" | "unparseable" | "refusal" | "unchanged";

/** The model answered but the answer is unusable; `raw` keeps what it said for the audit trail. */
export class ModelOutputError extends VpoError {
  override name = "ModelOutputError";
  constructor(
    readonly reason: ModelOutputReason,
    message: string,
    readonly raw: string,
  ) {
    super("model-output", message);
  }
}

export class ModelLoadError extends VpoError {
  override name = "ModelLoadError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("model-load", message, options);
  }
}

export class NoModelError extends VpoError {
  override name = "NoModelError";
  constructor(message: string) {
    super("no-model", message);
  }
}

/**
 * An external command or service of the pipeline (video generator, reward scorer, ffmpeg) failed: non-zero exit,
 * timeout, no output file, or output that is not what its contract says. Code "backend", like a failed model server.
 */
export class CommandError extends VpoError {
  override name = "CommandError";
  constructor(
    message: string,
    readonly details: { exitCode?: number | null; timedOut?: boolean; stderr?: string } = {},
    options?: { cause?: unknown },
  ) {
    super("backend", message, options);
  }
}

/** Downloaded bytes do not match the size or hash the source publishes; the bad file has been removed. */
export class IntegrityError extends VpoError {
  override name = "IntegrityError";
  constructor(
    message: string,
    readonly file: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super("integrity", message);
  }
}

/** A training engine's command is not on PATH; `install` is the command that installs it. */
export class EngineNotInstalledError extends VpoError {
  override name = "EngineNotInstalledError";
  constructor(
    readonly executable: string,
    readonly install: string,
  ) {
    super("engine-missing", `${executable} is not installed (not found on PATH). Install it with: ${install}`);
  }
}

/** A prompt stays over the target's token budget even after condensing and trimming whole sentences. */
export class TokenBudgetError extends VpoError {
  override name = "TokenBudgetError";
  constructor(
    message: string,
    readonly tokens: number,
    readonly budget: number,
  ) {
    super("over-budget", message);
  }
}

/** What a failed backend call was: its HTTP status, or a timeout (for callers that retry or map it to a status). */
export interface BackendFailure {
  status?: number;
  timedOut?: true;
}

/** No usable ffmpeg; `tried` says, per source (VPO_FFMPEG, PATH, the npm package), why it was not used. */
export class FfmpegNotFoundError extends VpoError {
  override name = "FfmpegNotFoundError";
  constructor(readonly tried: readonly { source: string; reason: string }[]) {
    super(
      "ffmpeg-missing",
      `no usable ffmpeg (${tried.map((t) => `${t.source}: ${t.reason}`).join("; ")}). Set VPO_FFMPEG to an ffmpeg binary, put ffmpeg on PATH (e.g. apt-get install ffmpeg), or reinstall so the @ffmpeg-installer/ffmpeg package brings its binary (npm ci)`,
    );
  }
}

/**
 * The scale-out queue failed a job or cannot take one: Redis unreachable, no live worker for the job kind, workers
 * running different backends, or a job that failed on its last attempt (`reason` is the worker's own message).
 */
export class QueueError extends VpoError {
  override name = "QueueError";
  constructor(
    message: string,
    readonly details: { queue?: string; jobId?: string; attempts?: number } = {},
    options?: { cause?: unknown },
  ) {
    super("queue", message, options);
  }
}

/** Normalises anything thrown into a VpoError-shaped `{code, message}` for result records. */
export function errorRecord(error: unknown): { code: VpoErrorCode | "internal"; message: string; backend?: BackendFailure } {
  if (error instanceof BackendError && (error.status !== undefined || error.timedOut)) {
    return { code: error.code, message: error.message, backend: { ...(error.status !== undefined ? { status: error.status } : {}), ...(error.timedOut ? { timedOut: true as const } : {}) } };
  }
  if (VpoError.isInstance(error)) return { code: error.code, message: error.message };
  return { code: "internal", message: error instanceof Error ? error.message : String(error) };
}
