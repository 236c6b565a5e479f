/**
 * `vpo pull` and the embedded default end to end: a stand-in Hub serves the tiny checkpoint (one shard's connection
 * drops mid-file), the CLI downloads, verifies and converts it into VPO_HOME, and `vpo optimize` then runs it with
 * no model flags.
 */
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHubServer, type HubServer } from "./fixtures/hub-server.js";
import { tinyCheckpoint } from "./fixtures/tiny-checkpoint.js";
import { runCli } from "./helpers/cli.js";

const REPO = "CCCCCC/VPO-5B";
let hub: HubServer;
let home: string;

beforeAll(async () => {
  hub = await startHubServer({ repo: REPO, dir: await tinyCheckpoint("BF16"), token: "hf_test", dropAfter: { "model-00002-of-00002.safetensors": 5_000_000 } });
  home = await mkdtemp(join(tmpdir(), "vpo-home-"));
});
afterAll(async () => {
  await hub.close();
  await rm(home, { recursive: true, force: true });
});

const env = () => ({ VPO_HOME: home, HF_ENDPOINT: hub.url, HF_TOKEN: "hf_test", VPO_THREADS: "1" });

describe("vpo pull and the embedded default", () => {
  it("without a cached model, optimize says how to get one", async () => {
    const r = await runCli(["optimize", "a cat playing piano"], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("vpo pull");
    expect(r.stderr).toContain("--pull");
    expect(r.stderr).toContain("--base-url");
  });

  it("pulls (resuming a dropped connection), verifies and converts; optimize then uses it with no model flags", async () => {
    const pull = await runCli(["pull", "--type", "q4_0", "--threads", "1"], { env: env() });
    expect(pull.stderr).toMatch(/CCCCCC\/VPO-5B @ 3f1a9b7c2d4e: 7 files, (\d+\.\d MB); downloading \1\n/);
    expect(pull.stderr).toMatch(/\(1 resumed\); verified 7 files/);
    expect(pull.code).toBe(0);
    const gguf = join(home, "models", "CCCCCC--VPO-5B.q4_0.gguf");
    expect(pull.stdout.trim()).toBe(gguf);
    expect(hub.requests.filter((r) => r.server === "cdn" && r.range === "bytes=5000000-")).toHaveLength(1);

    const optimize = await runCli(["optimize", "--json", "--max-tokens", "8", "a cat playing piano"], { env: env() });
    expect(JSON.parse(optimize.stdout).model).toMatchObject({ backend: "llama", id: "CCCCCC--VPO-5B.q4_0.gguf" });

    const again = await runCli(["pull", "--type", "q4_0"], { env: env() });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/all cached/);
    expect(again.stderr).toMatch(/already converted/);
  }, 120_000);

  it("optimize --pull fetches and converts the default first (VPO_AUTO_PULL=1 does the same)", async () => {
    await rm(join(home, "models"), { recursive: true, force: true });
    const r = await runCli(["optimize", "--json", "--max-tokens", "8", "a dog on the grass"], { env: { ...env(), VPO_AUTO_PULL: "1" } });
    expect(r.stderr).toMatch(/converted to q8_0/);
    expect(JSON.parse(r.stdout).model.id).toBe("CCCCCC--VPO-5B.q8_0.gguf");
    expect(readdirSync(join(home, "models"))).toEqual(["CCCCCC--VPO-5B.q8_0.gguf"]);
    expect(existsSync(join(home, "hub", "models--CCCCCC--VPO-5B", "refs", "main"))).toBe(true);
  }, 120_000);
});
