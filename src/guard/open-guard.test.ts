import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedServer, type ScriptedServer } from "../../test/fixtures/scripted-server.js";
import { openGuard } from "./open-guard.js";

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer({ script: () => ({ text: "Category: aligned" }) });
});
afterAll(async () => server.close());

describe("openGuard", () => {
  it("runs on the deterministic checks alone when no judge is named", async () => {
    await using guard = await openGuard({ policy: "refuse", rounds: 1, judge: { concurrency: 4 } });
    expect(guard.options).toMatchObject({ policy: "refuse", rounds: 1 });
    expect(guard.options.judge).toBeUndefined();
  });

  it("opens the named judge, which answers until the guard is disposed", async () => {
    const guard = await openGuard({ judgeFormat: "text", judge: { baseUrl: server.url, model: "judge", retries: 0 } });
    expect(guard.options.judge!.info).toMatchObject({ id: "judge", baseUrl: server.url });
    const reply = await guard.options.judge!.generate({ messages: [{ role: "user", content: "judge this" }] });
    expect(reply.text).toBe("Category: aligned");
    expect(guard.options.judgeFormat).toBe("text");
    await guard.dispose();
  });
});
