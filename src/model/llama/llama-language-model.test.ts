import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyLlama3Gguf } from "../../../test/fixtures/tiny-gguf.js";
import { vpoTemplate } from "../../optimize/template.js";
import type { ModelClient } from "../client.js";
import { LlamaLanguageModel } from "./llama-language-model.js";
import { openLlamaModel } from "./open-llama-model.js";

let model: ModelClient;
beforeAll(async () => {
  model = await openLlamaModel({ path: await tinyLlama3Gguf(), threads: 1, sequences: 4, contextSize: 1024, gpu: "cpu" });
});
afterAll(async () => {
  await model?.dispose();
});

describe("llama.cpp backend", () => {
  it("feeds the VPO contract as one Llama 3 user turn, byte for byte, with no system prompt", () => {
    const query = "a cute dog on the grass";
    const [message] = vpoTemplate.render(query);
    const rendered = (model.languageModel as LlamaLanguageModel).renderPrompt([{ role: "user", content: [{ type: "text", text: message!.content }] }]);
    expect(rendered).toBe(
      `<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n${message!.content}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n`,
    );
  });

  it("generates text with usage and stops at maxTokens", async () => {
    const result = await model.generate({ messages: [{ role: "user", content: "hello" }], sampling: { temperature: 0.7, topP: 1, seed: 1, maxTokens: 12 } });
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeLessThanOrEqual(12);
    expect(result.usage.inputTokens).toBeGreaterThan(5);
    expect(["stop", "length"]).toContain(result.finishReason);
  });

  it("streams the same text it returns when asked for onText", async () => {
    const request = { messages: [{ role: "user" as const, content: "a cat" }], sampling: { temperature: 0.9, seed: 42, maxTokens: 10 } };
    const seen: string[] = [];
    const streamed = await model.generate({ ...request, onText: (text) => seen.push(text) });
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.at(-1)).toBe(streamed.text);
    expect(seen.every((text, i) => i === 0 || text.startsWith(seen[i - 1]!))).toBe(true);
    expect(streamed.text).toBe((await model.generate(request)).text);
    expect(streamed.usage.outputTokens).toBeGreaterThan(0);
  });

  it("is reproducible for a seed", async () => {
    const ask = () => model.generate({ messages: [{ role: "user", content: "a cat" }], sampling: { temperature: 0.9, seed: 42, maxTokens: 10 } });
    expect((await ask()).text).toBe((await ask()).text);
  });

  it("constrains output to a JSON schema with a grammar", async () => {
    const schema = { type: "object", properties: { verdict: { enum: ["yes", "no"] } }, required: ["verdict"], additionalProperties: false } as const;
    const result = await model.generate({ messages: [{ role: "user", content: "judge" }], jsonSchema: schema, sampling: { seed: 3, maxTokens: 64 } });
    expect(["yes", "no"]).toContain(JSON.parse(result.text).verdict);
  });

  it("runs parallel sequences", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => model.generate({ messages: [{ role: "user", content: `query ${i}` }], sampling: { seed: i, maxTokens: 8 } })),
    );
    expect(results.every((r) => r.usage.outputTokens > 0)).toBe(true);
  });

  it("streams through the LanguageModelV3 interface", async () => {
    const { stream } = await model.languageModel.doStream({ prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }], maxOutputTokens: 6, seed: 5 });
    const parts: string[] = [];
    const reader = stream.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) parts.push(read.value.type);
    expect(parts[0]).toBe("stream-start");
    expect(parts).toContain("text-delta");
    expect(parts.at(-1)).toBe("finish");
  });
});
