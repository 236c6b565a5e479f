import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readGguf } from "../src/gguf/index.js";
import { tinyCheckpoint } from "./fixtures/tiny-checkpoint.js";
import { runCli } from "./helpers/cli.js";

let work: string;
let dir: string;
const env = { VPO_THREADS: "1" };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "vpo-convert-cli-"));
  dir = await tinyCheckpoint("BF16");
});
afterAll(async () => rm(work, { recursive: true, force: true }));

describe("vpo convert", () => {
  it("converts to q8_0 and --verify checks tokenization parity and logits against a temporary f16 file", async () => {
    const out = join(work, "tiny.q8_0.gguf");
    const texts = join(work, "texts.json");
    const queries = (JSON.parse(readFileSync(new URL("../../shared/data/queries-dev.json", import.meta.url), "utf8")) as string[]).slice(1000, 1100);
    await writeFile(texts, JSON.stringify(queries));
    const r = await runCli(["convert", dir, "--type", "q8_0", "--out", out, "--threads", "1", "--verify", "--verify-texts", texts], { env });
    expect(r.stderr).toContain("tokenization: 100/100 texts tokenize identically");
    expect(r.stderr).toMatch(/logits vs tiny\.q8_0\.gguf\.verify-f16\.gguf at 8 positions: mean KL [0-9.e-]+ .*tolerance 0\.01/);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(out);
    expect(existsSync(`${out}.verify-f16.gguf`)).toBe(false);
    expect((await readGguf(out)).metadata.get("general.file_type")?.value).toBe(7);
  }, 120_000);

  it("prints a JSON result, refuses to overwrite without --force, and names what is wrong with bad input", async () => {
    const out = join(work, "tiny.f16.gguf");
    const ok = await runCli(["convert", dir, "-o", out, "--threads", "0", "--json"], { env });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ out, type: "f16", tensors: 21, hyperParams: { layers: 2, kvHeads: 2 }, tokenizer: { pre: "llama-bpe", eot: 128009 } });
    const again = await runCli(["convert", dir, "-o", out], { env });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists \(pass --force/);
    const missing = await runCli(["convert", join(work, "nope"), "-o", join(work, "x.gguf")], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\/config\.json: not found/);
    const badType = await runCli(["convert", dir, "--type", "q5_k"], { env });
    expect(badType.code).toBe(2);
  }, 60_000);
});
