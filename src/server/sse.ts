import { PassThrough } from "node:stream";
import type { FastifyReply } from "fastify";

/** A server-sent events stream as the reply body (so hooks, headers and the access log work as for JSON). */
export class SseStream {
  private readonly stream = new PassThrough();

  constructor(reply: FastifyReply) {
    reply.header("content-type", "text/event-stream; charset=utf-8").header("cache-control", "no-cache").header("x-accel-buffering", "no");
    void reply.send(this.stream);
  }

  get closed(): boolean {
    return this.stream.destroyed || this.stream.writableEnded;
  }

  /** One event; `data` is JSON-encoded (a string is sent as is, for "[DONE]"). */
  send(data: unknown, event?: string): void {
    if (this.closed) return;
    this.stream.write(`${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
  }

  end(): void {
    if (!this.closed) this.stream.end();
  }
}
