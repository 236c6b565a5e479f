import { startCli, type CliRun } from "./cli.js";
import { createServer, type ServeOptions, type VpoServer } from "../../src/server/index.js";

/** A listening vpo server on a free loopback port over the given backend; `url` is its base (no /v1). */
export async function startVpo(backendUrl: string, options: Partial<ServeOptions> = {}): Promise<VpoServer & { url: string }> {
  const server = await createServer({ model: { baseUrl: backendUrl, model: "m", retries: 0, concurrency: 64 }, port: 0, cache: false, ...options });
  const url = await server.listen();
  return { ...server, url };
}

/** `vpo serve` as a child process; resolves once it prints the address it listens on. */
export async function spawnServe(args: string[]): Promise<CliRun & { url: string; stderr: () => string }> {
  const run = startCli(["serve", "--port", "0", ...args]);
  let stderr = "";
  const url = await new Promise<string>((resolve, reject) => {
    run.child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    run.child.on("close", (code) => reject(new Error(`vpo serve exited (${code}) before listening:\n${stderr}`)));
  });
  return { ...run, url, stderr: () => stderr };
}

/** Polls until `check` holds (state, never a fixed sleep); fails after `limitMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, limitMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A value of a metric line of /metrics (the first whose name and labels start with `prefix`). */
export async function metric(url: string, prefix: string, headers: Record<string, string> = {}): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`, { headers })).text();
  const line = text.split("\n").find((l) => l.startsWith(prefix));
  return line ? Number(line.split(" ").at(-1)) : undefined;
}

/** A response body as JSON, for assertions (`error.code`, fields of a result). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = async (response: Response): Promise<any> => response.json();
