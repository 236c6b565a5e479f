import type { FastifyReply } from "fastify";
import { AbortedError, ServiceError, VpoError } from "../errors.js";

/** The lifetime of one request's work: aborted when the client goes away or the per-request timeout passes. */
export interface RequestScope {
  signal: AbortSignal;
  /** Turns an abort caused by the timeout into a 504 error; other errors pass through. */
  explain(error: unknown): unknown;
  dispose(): void;
}

export function requestScope(reply: FastifyReply, timeoutMs: number): RequestScope {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  timer.unref();
  // The response closing before it finished means the client disconnected: stop the backend request too.
  const onClose = () => {
    if (!reply.raw.writableFinished) controller.abort();
  };
  reply.raw.on("close", onClose);
  return {
    signal: controller.signal,
    explain(error) {
      const aborted = error instanceof AbortedError || (VpoError.isInstance(error) && error.code === "aborted") || controller.signal.aborted;
      if (timedOut && aborted) return new ServiceError("timeout", `the request ran past its ${Math.round(timeoutMs / 100) / 10} s limit`);
      return error;
    },
    dispose() {
      clearTimeout(timer);
      reply.raw.off("close", onClose);
    },
  };
}
