import type { FastifyReply, FastifyRequest } from "fastify";
import { BackendError, ServiceError, VpoError, type BackendFailure, type VpoErrorCode } from "../errors.js";
import type { Logger } from "../util/logger.js";
import { httpFailure } from "./error-status.js";

export interface FailureLike {
  code: VpoErrorCode | "internal";
  message: string;
  backend?: BackendFailure;
  retryAfterS?: number;
}

/** Answers an error: its status and public body, Retry-After when it has one; 5xx details go to the log only. */
export function sendFailure(request: FastifyRequest, reply: FastifyReply, error: FailureLike, logger: Logger): FastifyReply {
  const failure = httpFailure(error, request.id);
  if (failure.status >= 500) logger.warn(`request ${request.id} failed: ${error.message}`, { requestId: request.id, code: error.code, status: failure.status });
  if (failure.retryAfterS !== undefined) void reply.header("retry-after", String(failure.retryAfterS));
  return reply.code(failure.status).type("application/json; charset=utf-8").send(failure.body);
}

/** Anything thrown, as a failure to answer: a VpoError keeps its code (and backend status, Retry-After). */
export function failureOf(error: unknown): FailureLike {
  if (!VpoError.isInstance(error)) return { code: "internal", message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  const backend = error instanceof BackendError ? { ...(error.status !== undefined ? { status: error.status } : {}), ...(error.timedOut ? { timedOut: true as const } : {}) } : undefined;
  return {
    code: error.code,
    message: error.message,
    ...(backend ? { backend } : {}),
    ...(error instanceof ServiceError && error.retryAfterS !== undefined ? { retryAfterS: error.retryAfterS } : {}),
  };
}

/** The public error body for a failure after a stream has started (its status line is already sent). */
export function streamFailure(reply: FastifyReply, failure: FailureLike, logger: Logger): { error: { code: string; message: string } } {
  const answer = httpFailure(failure, reply.request.id);
  if (answer.status >= 500) logger.warn(`request ${reply.request.id} failed mid-stream: ${failure.message}`, { requestId: reply.request.id, code: failure.code });
  return answer.body;
}
