import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { probeStreams } from "../../test/fixtures/probe-video.js";
import { writeStandIns } from "../../test/fixtures/stand-in-commands.js";
import { CommandError } from "../errors.js";
import { CommandVideoBackend } from "./command-video.js";
import { HttpVideoBackend } from "./http-video.js";
import { VideoCache } from "./video-cache.js";

const tmp = () => mkdtempSync(join(tmpdir(), "vpo-video-"));
const lines = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : []);

describe("CommandVideoBackend", () => {
  it("renders a real video with ffmpeg, caches it by content hash and never renders it twice", async () => {
    const root = tmp();
    const s = writeStandIns(join(root, "bin"));
    const backend = new CommandVideoBackend({ command: s.videoCmd, cache: new VideoCache(join(root, "cache")), concurrency: 2 });
    const first = await backend.generate({ prompt: "a red fox in snow, it's cold", query: "fox", seed: 7 });
    expect(first.cached).toBe(false);
    const probe = probeStreams(first.path);
    expect(probe.trim()).toBe("video,64");
    // A new backend over the same cache folder (a re-run) finds it.
    const again = await new CommandVideoBackend({ command: s.videoCmd, cache: new VideoCache(join(root, "cache")) }).generate({ prompt: "a red fox in snow, it's cold", query: "fox", seed: 7 });
    expect(again).toMatchObject({ cached: true, path: first.path, sha256: first.sha256 });
    const other = await backend.generate({ prompt: "a red fox in snow, it's cold", query: "fox", seed: 8 });
    expect(other.path).not.toBe(first.path);
    expect(lines(s.videoLog).map((l) => l.split("\t")[1])).toEqual(["7", "8"]);
  });

  it("turns a failing command, one that hangs past its timeout and one that writes no file into errors with reasons", async () => {
    const root = tmp();
    const s = writeStandIns(join(root, "bin"));
    const backend = new CommandVideoBackend({ command: s.videoCmd, cache: new VideoCache(join(root, "cache")), timeoutMs: 500 });
    const failed = await backend.generate({ prompt: "FAILVIDEO cat", query: "q", seed: 0 }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(CommandError);
    expect((failed as Error).message).toBe("video command exited with code 3: CUDA out of memory while rendering");
    await expect(backend.generate({ prompt: "HANGVIDEO cat", query: "q", seed: 0 })).rejects.toThrow("video command timed out after 0.5 s and was killed");
    await expect(backend.generate({ prompt: "NOFILEVIDEO cat", query: "q", seed: 0 })).rejects.toThrow("video command exited 0 but wrote no file at {output}");
    // Failures are not cached: the next attempt runs the command again.
    await expect(backend.generate({ prompt: "FAILVIDEO cat", query: "q", seed: 0 })).rejects.toThrow(/code 3/);
    expect(lines(s.videoLog)).toHaveLength(4);
  });
});

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

function serve(handler: (body: Record<string, unknown>, n: number) => { status?: number; type?: string; body: string | Buffer }): Promise<string> {
  let n = 0;
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const reply = req.method === "GET" ? { type: "video/mp4", body: Buffer.from("downloaded-bytes") } : handler(JSON.parse(Buffer.concat(chunks).toString()), n++);
    res.writeHead(reply.status ?? 200, { "content-type": reply.type ?? "application/json" });
    res.end(reply.body);
  });
  return new Promise((resolve) => server!.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`)));
}

describe("HttpVideoBackend", () => {
  it("stores a video body, retries a 503, follows a JSON url, and reports a 400 with the service's message", async () => {
    const seen: Record<string, unknown>[] = [];
    const base = await serve((body, n) => {
      seen.push(body);
      if (body.prompt === "bad") return { status: 400, body: '{"error":"prompt too long"}' };
      if (body.prompt === "by-url") return { body: JSON.stringify({ url: `${base}/file.mp4` }) };
      return n === 0 ? { status: 503, body: "busy" } : { type: "video/mp4", body: Buffer.from(`video of ${String(body.prompt)}`) };
    });
    const backend = new HttpVideoBackend({ url: `${base}/generate`, cache: new VideoCache(join(tmp(), "cache")), retryDelayMs: 10 });
    const video = await backend.generate({ prompt: "a cat", query: "cat", seed: 1 });
    expect(readFileSync(video.path, "utf8")).toBe("video of a cat");
    expect(seen[1]).toMatchObject({ prompt: "a cat", query: "cat", seed: 1, id: video.key });
    expect(readFileSync((await backend.generate({ prompt: "by-url", query: "q", seed: 1 })).path, "utf8")).toBe("downloaded-bytes");
    await expect(backend.generate({ prompt: "bad", query: "q", seed: 1 })).rejects.toThrow(/HTTP 400: \{"error":"prompt too long"\}/);
    expect((await backend.generate({ prompt: "a cat", query: "cat", seed: 1 })).cached).toBe(true);
    expect(seen).toHaveLength(4);
  });
});
