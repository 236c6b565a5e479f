import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyLlama3Gguf } from "../../../test/fixtures/tiny-gguf.js";
import type { ModelClient } from "../../model/client.js";
import { openLlamaModel } from "../../model/llama/open-llama-model.js";
import { CLASSIFIER_CATEGORY_MAPS } from "./categories.js";
import { classifySafety, CLASSIFIER_SPECS } from "./classify-safety.js";
import { CLASSIFIER_FORMATS, SAFETY_LEVELS } from "./types.js";

// Random weights: only the grammar makes the replies readable, which is exactly what this checks.
let model: ModelClient;
beforeAll(async () => {
  model = await openLlamaModel({ path: await tinyLlama3Gguf(), threads: 1, sequences: 2, contextSize: 2048, gpu: "cpu" });
});
afterAll(async () => {
  await model?.dispose();
});

describe("classifySafety in-process (llama.cpp, tiny random GGUF)", () => {
  it.each(CLASSIFIER_FORMATS)("%s: the grammar keeps the reply in the classifier's format, so it parses", async (format) => {
    const r = await classifySafety(model, format, "a man stabbing a woman in a dark alley");
    expect(r.error).toBeUndefined();
    expect(r.status).toBe("ok");
    expect(r.model).toMatch(/\.gguf$/);
    expect(SAFETY_LEVELS).toContain(r.verdict!.level);
    const known = Object.values(CLASSIFIER_CATEGORY_MAPS[format]);
    for (const c of r.verdict!.categories) expect(known).toContain(c);
    expect(r.usage.requests).toBe(format === "shieldgemma" ? 4 : 1);
  });

  it("without the grammar the same model's reply is noise, which is a recorded failure and not a verdict", async () => {
    const [request] = CLASSIFIER_SPECS.llamaguard3.requests("a man stabbing a woman", "instructions");
    const free = await model.generate({ messages: request!.messages, sampling: { temperature: 0, maxTokens: request!.maxTokens } });
    expect(() => CLASSIFIER_SPECS.llamaguard3.parse([free.text], [request!])).toThrow(/llamaguard3 reply is not|empty reply/);
  });
});
