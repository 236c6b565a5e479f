import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { screenSafety } from "../src/safety/screen-safety.js";
import type { GuardedResult } from "../src/guard/guarded-optimize.js";
import { defaultPrompt, queryOf, startScriptedServer, type RecordedRequest, type ScriptedServer } from "./fixtures/scripted-server.js";
import { runCli } from "./helpers/cli.js";
import { metric, startVpo, until } from "./helpers/serve.js";

const devQueries = JSON.parse(readFileSync(new URL("../../shared/data/queries-dev.json", import.meta.url), "utf8")) as string[];
const UNSAFE = "katrina kaif naked";

/**
 * A chatty optimizer whose answer depends on the sampling it was sent, wrapped in a lead-in and quotes that output
 * cleaning must remove, and long enough to arrive in many stream deltas.
 */
function chatty(req: RecordedRequest, quote = '"'): string {
  const b = req.body!;
  const q = queryOf(req.userText);
  return `Here is the optimized prompt: ${quote}${defaultPrompt(req)} The scene for ${q} opens on a wide establishing view, then the camera glides closer while soft reflections play across every surface, sampled with seed ${b.seed ?? "none"}, temperature ${b.temperature}, top_p ${b.top_p} and at most ${b.max_tokens} tokens.${quote}`;
}

let backend: ScriptedServer;
let vpo: Awaited<ReturnType<typeof startVpo>>;
let client: OpenAI;

beforeAll(async () => {
  backend = await startScriptedServer({ script: (req) => ({ text: chatty(req) }) });
  vpo = await startVpo(backend.url);
  client = new OpenAI({ baseURL: `${vpo.url}/v1`, apiKey: "not-needed-on-loopback", maxRetries: 0 });
});
afterAll(async () => {
  await vpo?.close();
  await backend?.close();
});

const cli = (...args: string[]) => runCli(["optimize", ...args, "--base-url", backend.url, "--model", "m", "--retries", "0"]);
const withoutStream = ({ stream: _s, stream_options: _o, ...body }: Record<string, unknown>) => body;

describe("vpo serve through the openai client", () => {
  it("lists vpo and vpo-guarded as models", async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(["vpo", "vpo-guarded"]);
  });

  it("answers model vpo with exactly what `vpo optimize` prints for the same query and seed", async () => {
    const query = devQueries.find((q) => q.length > 30 && !screenSafety(q).flagged)!;
    const completion = await client.chat.completions.create({ model: "vpo", messages: [{ role: "user", content: query }], seed: 42, temperature: 0.5, top_p: 0.9, max_tokens: 300 });
    const served = backend.chatRequests().at(-1)!;
    const printed = await cli(query, "--seed", "42", "--temperature", "0.5", "--top-p", "0.9", "--max-tokens", "300");
    expect(printed.code).toBe(0);
    expect(completion.choices).toHaveLength(1);
    expect(`${completion.choices[0]!.message.content}\n`).toBe(printed.stdout);
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    // The cleaning happened (lead-in and quotes gone) and the backend got the same request from both.
    expect(completion.choices[0]!.message.content).toMatch(/^A cinematic shot of .* 300 tokens\.$/);
    expect(backend.chatRequests().at(-1)!.body).toEqual(served.body);
    const vpoField = (completion as unknown as { vpo: GuardedResult }).vpo;
    expect(vpoField).toMatchObject({ query, status: "ok", sampling: { seed: 42, temperature: 0.5, topP: 0.9, maxTokens: 300 } });
  });

  async function streamed(messages: OpenAI.ChatCompletionMessageParam[], seed: number) {
    const stream = await client.chat.completions.create({ model: "vpo", messages, seed, stream: true });
    const deltas: string[] = [];
    let finish: string | null | undefined;
    let last: unknown;
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta?.content;
      if (content) deltas.push(content);
      finish = chunk.choices[0]?.finish_reason ?? finish;
      last = chunk;
    }
    return { deltas, finish, last };
  }

  it("streams a reply wrapped in quotes whole at the end, since cleaning removes the quotes only then", async () => {
    const messages = [{ role: "user" as const, content: "a cat playing the piano in a jazz bar" }];
    const whole = await client.chat.completions.create({ model: "vpo", messages, seed: 3 });
    const { deltas, finish } = await streamed(messages, 3);
    expect(deltas.join("")).toBe(whole.choices[0]!.message.content);
    expect(finish).toBe("stop");
  });

  it("streams the same text in several deltas, then the finish reason and the vpo result", async () => {
    backend.setScript((req) => ({ text: chatty(req, "") }));
    const messages = [{ role: "user" as const, content: "a cat playing the piano in a jazz bar" }];
    const whole = await client.chat.completions.create({ model: "vpo", messages, seed: 3 });
    const { deltas, finish, last } = await streamed(messages, 3);
    backend.setScript((req) => ({ text: chatty(req) }));
    expect(deltas.join("")).toBe(whole.choices[0]!.message.content);
    expect(deltas.length).toBeGreaterThan(3);
    expect(finish).toBe("stop");
    expect((last as { vpo: { prompt: string } }).vpo.prompt).toBe(whole.choices[0]!.message.content);
    expect(backend.chatRequests().at(-1)!.body!.stream).toBe(true);
    expect(withoutStream(backend.chatRequests().at(-1)!.body!)).toEqual(withoutStream(backend.chatRequests().at(-2)!.body!));
  });

  it("returns n candidates as choices, candidate i sampled with seed + i like `vpo optimize -n`", async () => {
    const completion = await client.chat.completions.create({ model: "vpo", messages: [{ role: "user", content: "a red fox in the snow" }], n: 3, seed: 10 });
    const printed = await cli("a red fox in the snow", "-n", "3", "--seed", "10");
    expect(completion.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(completion.choices.map((c) => `${c.message.content}\n`).join("")).toBe(printed.stdout);
    expect(completion.choices[2]!.message.content).toContain("seed 12");
  });

  it("answers vpo-guarded on an unsafe dev query with the sanitized prompt and the guard's report", async () => {
    expect(devQueries).toContain(UNSAFE);
    const completion = await client.chat.completions.create({ model: "vpo-guarded", messages: [{ role: "user", content: UNSAFE }], seed: 1 });
    const content = completion.choices[0]!.message.content!;
    const { report, prompt } = (completion as unknown as { vpo: GuardedResult }).vpo;
    expect(report.status).toBe("sanitized");
    expect(report.categories).toContain("sexual");
    expect(content).toBe(prompt);
    expect(content).toContain("katrina kaif");
    expect(content).not.toMatch(/naked/i);
    expect(screenSafety(content).flagged).toBe(false);
    const printed = await cli(UNSAFE, "--guard", "--json", "--seed", "1");
    expect((JSON.parse(printed.stdout) as GuardedResult).prompt).toBe(content);
  });

  it("answers a query the refuse policy declines with finish_reason content_filter", async () => {
    const body = { model: "vpo-guarded", messages: [{ role: "user", content: UNSAFE }], vpo: { guard: { policy: "refuse" } } };
    const completion = await client.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(completion.choices[0]).toMatchObject({ finish_reason: "content_filter", message: { content: null } });
    expect((completion as unknown as { vpo: GuardedResult }).vpo.report.status).toBe("refused");
  });

  it("turns a wrong model name into a 404 the client reports", async () => {
    await expect(client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "a cat" }] })).rejects.toMatchObject({ status: 404 });
  });
});

describe("the result cache", () => {
  it("serves a seeded request from the cache, and concurrent identical requests share one backend call", async () => {
    const cached = await startVpo(backend.url, { cache: { path: ":memory:" } });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    backend.setScript(async (req) => {
      await gate;
      return { text: chatty(req) };
    });
    try {
      const c = new OpenAI({ baseURL: `${cached.url}/v1`, apiKey: "x", maxRetries: 0 });
      const ask = () => c.chat.completions.create({ model: "vpo", messages: [{ role: "user", content: "a lighthouse at dusk" }], seed: 99 }).withResponse();
      const before = backend.chatRequests().length;
      const pending = Array.from({ length: 6 }, ask);
      // Every request has looked in the cache (and missed) while the one backend call is held open.
      await until(async () => (await metric(cached.url, 'vpo_cache_requests_total{result="miss"}')) === 6, "six cache lookups");
      open();
      const first = await Promise.all(pending);
      expect(backend.chatRequests().length - before).toBe(1);
      expect(new Set(first.map((r) => r.data.choices[0]!.message.content)).size).toBe(1);
      expect(first.map((r) => r.response.headers.get("x-vpo-cache"))).toEqual(Array(6).fill("miss"));
      const again = await ask();
      expect(again.response.headers.get("x-vpo-cache")).toBe("hit");
      expect(again.data.choices[0]!.message.content).toBe(first[0]!.data.choices[0]!.message.content);
      expect(backend.chatRequests().length - before).toBe(1);
      // No seed and temperature > 0: not deterministic, never cached.
      const unseeded = await c.chat.completions.create({ model: "vpo", messages: [{ role: "user", content: "a lighthouse at dusk" }] }).withResponse();
      expect(unseeded.response.headers.get("x-vpo-cache")).toBeNull();
      expect(backend.chatRequests().length - before).toBe(2);
    } finally {
      open();
      backend.setScript((req) => ({ text: chatty(req) }));
      await cached.close();
    }
  });
});
