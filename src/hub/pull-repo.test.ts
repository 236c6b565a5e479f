import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, afterAll, describe, expect, it } from "vitest";
import { startHubServer, type HubServer } from "../../test/fixtures/hub-server.js";
import { BackendError, IntegrityError } from "../errors.js";
import { HubClient } from "./hub-client.js";
import { pullRepo, snapshotDir, type PullPlan } from "./pull-repo.js";

const REPO = "CCCCCC/VPO-5B";
let repoDir: string;
let cache: string;
let hub: HubServer | undefined;

/** A small repository: configs, tokenizer files, an index and two 300 KB "weights" shards. */
beforeAll(async () => {
  repoDir = await mkdtemp(join(tmpdir(), "vpo-hub-repo-"));
  const shard = (seed: number) => Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * seed + (i >> 7)) & 0xff));
  await writeFile(join(repoDir, "config.json"), JSON.stringify({ architectures: ["LlamaForCausalLM"] }));
  await writeFile(join(repoDir, "tokenizer.json"), JSON.stringify({ model: { type: "BPE", vocab: {}, merges: [] } }));
  await writeFile(join(repoDir, "tokenizer_config.json"), "{}");
  await writeFile(join(repoDir, "generation_config.json"), JSON.stringify({ temperature: 0.7 }));
  await writeFile(join(repoDir, "README.md"), "not downloaded");
  await writeFile(join(repoDir, "model-00001-of-00002.safetensors"), shard(7));
  await writeFile(join(repoDir, "model-00002-of-00002.safetensors"), shard(13));
  await writeFile(join(repoDir, "model.safetensors.index.json"), JSON.stringify({ weight_map: { a: "model-00001-of-00002.safetensors", b: "model-00002-of-00002.safetensors" } }));
});
afterAll(async () => rm(repoDir, { recursive: true, force: true }));
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  if (cache) await rm(cache, { recursive: true, force: true });
});

async function setup(options: Partial<Parameters<typeof startHubServer>[0]> = {}) {
  hub = await startHubServer({ repo: REPO, dir: repoDir, ...options });
  cache = await mkdtemp(join(tmpdir(), "vpo-hub-cache-"));
  return { client: new HubClient({ endpoint: hub.url, token: options.token }), dir: snapshotDir(cache, REPO, hub.commit) };
}
const same = (dir: string, file: string) => readFileSync(join(dir, file)).equals(readFileSync(join(repoDir, file)));

describe("pullRepo against a stand-in Hub", () => {
  it("downloads the files a conversion needs, pinned to the commit, announcing the total first; a re-run is all cache", async () => {
    const { client, dir } = await setup({ token: "hf_secret" });
    let plan: PullPlan | undefined;
    const result = await pullRepo({ repo: REPO, cacheDir: cache, client, onPlan: (p) => (plan = p) });
    expect(result.dir).toBe(dir);
    expect(plan).toMatchObject({ commit: hub!.commit, totalBytes: result.totalBytes, cachedBytes: 0 });
    expect(result.files.sort()).toEqual(
      ["config.json", "generation_config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json", "tokenizer.json", "tokenizer_config.json"],
    );
    for (const f of result.files) expect(same(dir, f), f).toBe(true);
    expect(existsSync(join(dir, "README.md"))).toBe(false);
    // Resolve URLs are pinned to the commit; the token goes to the Hub but never to the CDN's origin.
    const resolves = hub!.requests.filter((r) => r.path.includes("/resolve/"));
    expect(resolves.every((r) => r.path.includes(`/resolve/${hub!.commit}/`))).toBe(true);
    expect(resolves.every((r) => r.authorization === "Bearer hf_secret")).toBe(true);
    const cdn = hub!.requests.filter((r) => r.server === "cdn");
    expect(cdn).toHaveLength(2);
    expect(cdn.every((r) => r.authorization === undefined)).toBe(true);

    hub!.requests.length = 0;
    const again = await pullRepo({ repo: REPO, cacheDir: cache, client, onPlan: (p) => (plan = p) });
    expect(again.downloadedBytes).toBe(0);
    expect(plan!.cachedBytes).toBe(plan!.totalBytes);
    expect(hub!.requests.filter((r) => r.path.includes("/resolve/"))).toEqual([]);
  });

  it("resumes a connection dropped mid-file with a Range request and still verifies the sha256", async () => {
    const shard = "model-00002-of-00002.safetensors";
    const { client, dir } = await setup({ dropAfter: { [shard]: 123_456 } });
    const result = await pullRepo({ repo: REPO, cacheDir: cache, client, retryDelayMs: 1 });
    expect(result.resumes).toBe(1);
    const ranges = hub!.requests.filter((r) => r.server === "cdn" && r.path.includes(shard)).map((r) => r.range);
    expect(ranges).toEqual([undefined, "bytes=123456-"]);
    expect(same(dir, shard)).toBe(true);
    expect(existsSync(join(dir, `${shard}.incomplete`))).toBe(false);
  });

  it("continues a partial download left by an earlier run, and starts over when that partial file is bad", async () => {
    const shard = "model-00001-of-00002.safetensors";
    const { client, dir } = await setup();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `${shard}.incomplete`), readFileSync(join(repoDir, shard)).subarray(0, 200_000));
    const result = await pullRepo({ repo: REPO, cacheDir: cache, client });
    expect(hub!.requests.find((r) => r.server === "cdn" && r.path.includes(shard))?.range).toBe("bytes=200000-");
    expect(result.downloadedBytes).toBe(result.totalBytes - 200_000);
    expect(same(dir, shard)).toBe(true);

    await rm(join(dir, shard));
    await writeFile(join(dir, `${shard}.incomplete`), Buffer.alloc(1000, 0x41)); // garbage from a broken disk or proxy
    hub!.requests.length = 0;
    await pullRepo({ repo: REPO, cacheDir: cache, client });
    expect(hub!.requests.filter((r) => r.server === "cdn").map((r) => r.range)).toEqual(["bytes=1000-", undefined]);
    expect(same(dir, shard)).toBe(true);
  });

  it("detects a corrupted file, deletes it and says so", async () => {
    const shard = "model-00002-of-00002.safetensors";
    const { client, dir } = await setup({ corrupt: [shard] });
    const error = await pullRepo({ repo: REPO, cacheDir: cache, client }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as IntegrityError).message).toMatch(/model-00002-of-00002\.safetensors: sha256 is [0-9a-f]{64} but the Hub says [0-9a-f]{64}/);
    expect(existsSync(join(dir, shard))).toBe(false);
    expect(existsSync(join(dir, `${shard}.incomplete`))).toBe(false);
    expect(same(dir, "model-00001-of-00002.safetensors")).toBe(true);
  });

  it("checks small files against their git blob id too", async () => {
    const { client } = await setup({ corrupt: ["tokenizer.json"] });
    await expect(pullRepo({ repo: REPO, cacheDir: cache, client })).rejects.toThrow(/tokenizer\.json: git-sha1 is/);
  });

  it("explains gated repositories, unknown repositories and revisions", async () => {
    const { client } = await setup({ token: "hf_secret" });
    const anonymous = new HubClient({ endpoint: hub!.url, token: "" });
    const denied = await pullRepo({ repo: REPO, cacheDir: cache, client: anonymous }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(BackendError);
    expect((denied as BackendError).message).toMatch(/HTTP 401.*HF_TOKEN/);
    await expect(pullRepo({ repo: "someone/else", cacheDir: cache, client })).rejects.toThrow(/HTTP 404/);
    await expect(pullRepo({ repo: REPO, revision: "v9", cacheDir: cache, client })).rejects.toThrow(/no such revision/);
    await expect(pullRepo({ repo: "not a repo", cacheDir: cache, client })).rejects.toThrow(/owner\/name/);
  });
});
