import { createReadStream } from "node:fs";
import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * Streams a file with its content type and HTTP Range support (one range: what <video> asks for when it seeks).
 * An unsatisfiable range is 416 with the size, as RFC 9110 says.
 */
export function sendFile(request: FastifyRequest, reply: FastifyReply, file: { path: string; type: string; bytes: number }): FastifyReply {
  const size = file.bytes;
  void reply.header("accept-ranges", "bytes").header("cache-control", "private, max-age=3600").type(file.type);
  const range = request.headers.range;
  if (range === undefined) return reply.header("content-length", size).send(createReadStream(file.path));
  const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  let start = match?.[1] ? Number(match[1]) : undefined;
  let end = match?.[2] ? Number(match[2]) : undefined;
  if (match && start === undefined && end !== undefined) {
    // "bytes=-N": the last N bytes
    start = Math.max(0, size - end);
    end = size - 1;
  }
  if (!match || start === undefined || start >= size || (end !== undefined && end < start)) {
    return reply.code(416).header("content-range", `bytes */${size}`).type("text/plain; charset=utf-8").send("range not satisfiable\n");
  }
  end = Math.min(end ?? size - 1, size - 1);
  return reply
    .code(206)
    .header("content-range", `bytes ${start}-${end}/${size}`)
    .header("content-length", end - start + 1)
    .send(createReadStream(file.path, { start, end }));
}
