import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pipelineScript } from "../../test/fixtures/pipeline-script.js";
import { startScriptedServer, type ScriptedServer } from "../../test/fixtures/scripted-server.js";
import { openHttpModel } from "../model/openai-compatible.js";
import { loadSafetyPolicy } from "../safety/policy/safety-policy.js";
import type { PairDataRecord, SftDataRecord } from "./records.js";
import { runDpo } from "./run-dpo.js";
import { runSft } from "./run-sft.js";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const lines = <T>(path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);

async function setup() {
  const root = mkdtempSync(join(tmpdir(), "vpo-safety-provenance-"));
  const queries = join(root, "queries.txt");
  writeFileSync(queries, ["a red fox in the snow", "a knight in armour @1:blood", "a gore scene in a castle"].join("\n") + "\n");
  const policyFile = join(root, "studio.yaml");
  writeFileSync(policyFile, "name: studio\ncategories:\n  weapons: off\nallow:\n  - fake blood\nblock:\n  - { term: lighthouse, category: violence }\n");
  server = await startScriptedServer({ script: pipelineScript() });
  const model = await openHttpModel({ baseUrl: server.url, model: "m", retries: 0, concurrency: 4 });
  return { root, queries, policy: loadSafetyPolicy(policyFile), model };
}

describe("the safety policy in pipeline records", () => {
  it("puts the policy's version hash (and the lexicon) into every SFT record and every DPO pair", async () => {
    const { root, queries, policy, model } = await setup();
    expect(policy.hash).toMatch(/^sha256:[0-9a-f]{16}$/);
    const safety = { lexicon: expect.stringMatching(/^vpo-safety-lexicon@/), policy: { source: policy.source, hash: policy.hash } };

    const sft = await runSft({ queries, out: join(root, "sft"), teacher: model, critic: { judge: model, policy } });
    const records = lines<SftDataRecord>(sft.sftFile);
    expect(records).toHaveLength(3);
    expect(records.some((r) => r.refined)).toBe(true);
    for (const r of records) expect(r.provenance.safety).toEqual(safety);

    const dpo = await runDpo({ queries, out: join(root, "dpo"), policy: model, critic: { judge: model, policy }, textOnly: true, pairs: { dedup: "none" } });
    const pairs = lines<PairDataRecord>(dpo.pairsFile);
    expect(pairs.length).toBeGreaterThan(0);
    for (const p of pairs) {
      expect(p.provenance.safety).toEqual(safety);
      // The judge's own provenance names it too, so a pair traces to the rules its rejected prompt was judged by.
      expect(p.provenance.judge).toMatchObject({ safety });
    }
  });

  it("records no policy when none is given, and treats another policy as another run", async () => {
    const { root, queries, policy, model } = await setup();
    const out = join(root, "sft");
    const plain = await runSft({ queries, out, teacher: model, critic: { judge: model } });
    for (const r of lines<SftDataRecord>(plain.sftFile)) expect(r.provenance.safety).toMatchObject({ policy: null });
    // Resuming with a policy would mix records judged under two sets of rules.
    await expect(runSft({ queries, out, teacher: model, critic: { judge: model, policy } })).rejects.toThrow(/other settings \(safety\)/);
    const resumed = await runSft({ queries, out, teacher: model, critic: { judge: model, policy }, allowChanges: true });
    expect(resumed.records).toBe(3);
  });
});
