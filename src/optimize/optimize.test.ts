import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOf, startScriptedServer, type ScriptedServer } from "../../test/fixtures/scripted-server.js";
import { openHttpModel } from "../model/openai-compatible.js";
import type { TextModel } from "../model/types.js";
import { optimize } from "./optimize.js";
import { readQuery } from "./query.js";

let server: ScriptedServer;
let model: TextModel;

beforeAll(async () => {
  server = await startScriptedServer({ script: () => ({ text: "A fox trots through fresh snow at dawn." }) });
  model = await openHttpModel({ baseUrl: server.url, model: "m", retries: 0 });
});
afterAll(async () => {
  await model.dispose();
  await server.close();
});

describe("optimize and the query as read", () => {
  it("sends the query with its HTML entities decoded and records it as given", async () => {
    const query = "a fox&#39;s den in the snow -neg &quot;people&quot;";
    const r = await optimize(query, { model });
    expect(queryOf(server.chatRequests().at(-1)!.userText)).toBe(`a fox's den in the snow -neg "people"`);
    expect(r).toMatchObject({ query, status: "ok", flags: { negativePrompt: "people" } });
  });

  it("warns how it read a misspelt flag", async () => {
    const r = await optimize("a red fox in the snow -air 16:9", { model, stripFlags: true });
    expect(queryOf(server.chatRequests().at(-1)!.userText)).toBe("a red fox in the snow");
    expect(r.flags).toMatchObject({ aspectRatio: "16:9" });
    expect(r.warnings).toEqual(["read `-air 16:9` as `-ar 16:9`"]);
  });

  it("takes a query already read, and fails with a reason when stripping flags leaves nothing", async () => {
    const read = readQuery("a fox -ar 16:9");
    expect((await optimize(read, { model })).query).toBe("a fox -ar 16:9");
    const empty = await optimize("-ar 16:9 -motion 2", { model, stripFlags: true });
    expect(empty).toMatchObject({ status: "failed", error: { code: "input", message: "query is empty once its flags are removed" } });
  });
});
