import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { queryOf, startScriptedServer, type RecordedRequest, type ScriptedServer } from "../../test/fixtures/scripted-server.js";
import { openHttpModel } from "../model/openai-compatible.js";
import type { TextModel } from "../model/types.js";
import { NEGATIVES_INSTRUCTIONS } from "../terms/generate-negatives.js";
import { optimize } from "./optimize.js";

let server: ScriptedServer;
let model: TextModel;
/** The reply of each kind of request a test expects: the contract turn, a re-ask, the negatives list, a shot plan. */
let replies: { first: (query: string) => string; reask?: (instruction: string) => string; negatives?: string; shots?: (nth: number) => string };

const kindOf = (req: RecordedRequest) => {
  const messages = req.body!.messages;
  const text = String(messages[0]!.content);
  if (text.startsWith(NEGATIVES_INSTRUCTIONS.slice(0, 40))) return "negatives";
  if (text.startsWith("Split this video prompt")) return "shots";
  return messages.length > 1 ? "reask" : "first";
};

beforeAll(async () => {
  let shotAsks = 0;
  server = await startScriptedServer({
    script: (req) => {
      const kind = kindOf(req);
      if (kind === "first") return { text: replies.first(queryOf(req.userText)) };
      if (kind === "reask") return { text: replies.reask!(req.userText!) };
      if (kind === "negatives") return { text: replies.negatives! };
      return { text: replies.shots!(shotAsks++) };
    },
  });
  model = await openHttpModel({ baseUrl: server.url, model: "vpo", retries: 0 });
});
afterAll(async () => {
  await model.dispose();
  await server.close();
});
afterEach(() => {
  server.requests.length = 0;
});

describe("protected terms", () => {
  it("re-asks once when the reply drops a protected term, then inserts what is still missing at a sentence boundary", async () => {
    replies = {
      first: () => "A man in a grey coat walks his dog through a sunlit park, leaves drifting down.",
      reask: () => "ohwx man in a grey coat walks his dog through a sunlit park, leaves drifting down.",
    };
    const r = await optimize("ohwx man walking his dog in a park <lora:autumn:0.8>", { model, keep: ["ohwx man"] });
    expect(r.status).toBe("ok");
    expect(r.prompt).toBe("ohwx man in a grey coat walks his dog through a sunlit park, leaves drifting down. <lora:autumn:0.8>");
    expect(r.protectedTerms).toEqual([
      { text: "ohwx man", source: "keep", kept: "re-asked" },
      { text: "<lora:autumn:0.8>", source: "lora", kept: "inserted" },
    ]);
    const reask = server.chatRequests()[1]!.body!.messages;
    expect(reask.map((m) => m.role)).toEqual(["user", "assistant", "user"]);
    expect(reask[2]!.content).toContain('exactly as written (same spelling, case and symbols): "ohwx man", "<lora:autumn:0.8>"');
    expect(r.warnings).toContain('inserted the protected term "<lora:autumn:0.8>" the model left out');
    expect(r.usage.requests).toBe(2);
  });

  it("asks nothing more when the reply keeps quoted and on-screen text verbatim", async () => {
    replies = { first: () => 'A bakery window at dusk, a chalkboard reads "FRESH BREAD", and the banner says LIFE IS GOOD in bold letters.' };
    const r = await optimize('a bakery with a sign "FRESH BREAD" Message: LIFE IS GOOD (Font: SANS SERIF)', { model });
    expect(r.protectedTerms).toEqual([
      { text: "LIFE IS GOOD", source: "on-screen-text", kept: "verbatim" },
      { text: "FRESH BREAD", source: "quoted", kept: "verbatim" },
    ]);
    expect(server.chatRequests()).toHaveLength(1);
  });
});

describe("language", () => {
  const query = "一只橘猫举着写有“新年快乐”的红色牌子，雪花缓缓飘落";

  it("gives an English prompt for a Chinese query, keeping its quoted Chinese text", async () => {
    replies = {
      first: () => "一只橘猫站在雪中，举着一块写有“新年快乐”的红色牌子，雪花缓缓飘落，暖色灯光映照。",
      reask: () => "An orange tabby cat stands in falling snow, holding up a red sign that reads “新年快乐”, lit by warm lantern light as flakes drift slowly down.",
    };
    const r = await optimize(query, { model });
    expect(r.language).toEqual({ detected: "zh", reliable: true, output: "en", matched: true });
    expect(r.prompt).toMatch(/^An orange tabby cat/);
    expect(r.prompt).toContain("“新年快乐”");
    expect(r.protectedTerms).toEqual([{ text: "新年快乐", source: "quoted", kept: "verbatim" }]);
    const reask = server.chatRequests()[1]!.body!.messages.at(-1)!.content;
    expect(reask).toContain("Rewrite the video prompt in English. Keep quoted text and the terms listed below exactly as they are written");
  });

  it("puts the quoted Chinese text back when the English re-ask drops it", async () => {
    replies = {
      first: () => "一只橘猫举着红色牌子站在雪中，雪花缓缓飘落，暖色灯光映照着它的毛发。",
      reask: () => "An orange tabby cat holds up a red sign in the falling snow, warm lantern light on its fur.",
    };
    const r = await optimize(query, { model });
    expect(r.prompt).toBe('An orange tabby cat holds up a red sign in the falling snow, warm lantern light on its fur. It shows "新年快乐".');
    expect(r.protectedTerms).toEqual([{ text: "新年快乐", source: "quoted", kept: "inserted" }]);
    expect(r.language).toMatchObject({ detected: "zh", output: "en", matched: true });
    expect(server.chatRequests()[1]!.body!.messages.at(-1)!.content).toContain('exactly as written (same spelling, case and symbols): "新年快乐"');
  });

  it("writes in the query's language with --lang same, and says so when the model will not", async () => {
    replies = { first: () => "An orange cat holds a red sign that reads 新年快乐 while snow falls softly around it in the evening.", reask: () => "An orange cat holds a red sign that reads 新年快乐 in the falling snow, warm evening light behind it." };
    const r = await optimize(query, { model, lang: "same" });
    expect(r.language).toEqual({ detected: "zh", reliable: true, output: "zh", matched: false });
    expect(r.warnings).toContain("the prompt is not in zh even after a re-ask");
    expect(server.chatRequests()[1]!.body!.messages.at(-1)!.content).toContain("Rewrite the video prompt in Chinese.");
    // auto: the target's primary language.
    replies = { first: () => "一只橘猫举着写有“新年快乐”的红色牌子站在雪中，雪花缓缓飘落，背景是温暖的灯笼。" };
    const auto = await optimize(query, { model, targetLanguages: ["zh", "en"] });
    expect(auto.language).toMatchObject({ output: "zh", matched: true });
  });
});

describe("negative prompt", () => {
  it("joins the query's -neg terms, the target's default and generated terms, deduplicated, without terms the prompt needs", async () => {
    replies = {
      first: () => 'A birthday cake with "HAPPY 30" piped in icing on a wooden table, static camera, soft window light.',
      negatives: JSON.stringify({ terms: ["melting candles", "Blurry", "cake", "warped icing letters"] }),
    };
    const r = await optimize('a birthday cake that says "HAPPY 30" -neg blurry, distorted faces', {
      model,
      defaultNegative: "Distorted face, text, watermark, static, low quality",
      negatives: "generate",
    });
    expect(r.negativePrompt).toBe("blurry, distorted faces, watermark, low quality, melting candles, warped icing letters");
    expect(r.negative!.dropped).toEqual([
      { term: "text", source: "profile", reason: "the video must show text" },
      { term: "static", source: "profile", reason: "the prompt shows it" },
      { term: "cake", source: "generated", reason: "the query asks for it" },
    ]);
    expect(r.negative!.terms.map((t) => t.source)).toEqual(["query", "query", "profile", "profile", "generated", "generated"]);
    const asked = server.chatRequests().find((q) => kindOf(q) === "negatives")!;
    expect(asked.body!.response_format).toMatchObject({ type: "json_schema" });
    expect(asked.userText).toContain("A birthday cake with");
  });

  it("has no negative prompt when nothing asks for one", async () => {
    replies = { first: () => "A red fox trots across fresh snow at dawn, breath steaming in the cold air." };
    const r = await optimize("a red fox in the snow", { model });
    expect(r.negativePrompt).toBeUndefined();
    expect(r.negative).toBeUndefined();
  });
});

describe("multi-shot prompts", () => {
  const shot = (description: string, action: string, camera: string, duration: number) => ({ description, action, camera, duration });

  it("plans two shots with duration, camera and action, re-asking once for an invalid plan, joined in the default syntax", async () => {
    replies = {
      first: () => "A surfer paddles out at sunrise and rides a glassy wave toward the shore.",
      shots: (nth) =>
        nth === 0
          ? JSON.stringify({ shots: [shot("A surfer paddles out at sunrise", "she paddles", "wide shot", 3)] })
          : JSON.stringify({ shots: [shot("A surfer paddles out through calm water at sunrise", "she duck-dives under a small wave", "static wide shot", 2.5), shot("The surfer rides a glassy wave toward the shore", "she carves a turn, spray flying", "tracking shot from the beach", 3)] }),
    };
    const r = await optimize("a surfer at sunrise", { model, shots: 2 });
    expect(r.status).toBe("ok");
    expect(r.prompt).toBe(
      "Shot 1 (0-2.5s, camera: static wide shot): A surfer paddles out through calm water at sunrise. Action: she duck-dives under a small wave.\n" +
        "Shot 2 (2.5-5.5s, camera: tracking shot from the beach): The surfer rides a glassy wave toward the shore. Action: she carves a turn, spray flying.",
    );
    expect(r.shots).toHaveLength(2);
    const asks = server.chatRequests().filter((q) => kindOf(q) === "shots");
    expect(asks).toHaveLength(2);
    expect(asks[1]!.body!.messages.at(-1)!.content).toMatch(/That plan is not valid \(shots: .*\)/);
  });

  it("joins shots in a target's own syntax", async () => {
    replies = { first: () => "Two dancers spin on a rooftop at night.", shots: () => JSON.stringify({ shots: [shot("Two dancers on a rooftop", "they spin", "orbit", 2), shot("City lights behind them", "they bow", "crane up", 2)] }) };
    const r = await optimize("two dancers on a rooftop", { model, shots: 2, shotSyntax: "[{start}s-{end}s] {description} {action} ({camera})", shotSeparator: " " });
    expect(r.prompt).toBe("[0s-2s] Two dancers on a rooftop. they spin. (orbit) [2s-4s] City lights behind them. they bow. (crane up)");
  });

  it("fails with the reason when the model cannot plan the shots", async () => {
    replies = { first: () => "A kite over a beach.", shots: () => "I cannot do that." };
    const r = await optimize("a kite over a beach", { model, shots: 3 });
    expect(r).toMatchObject({ status: "failed", prompt: null, error: { code: "model-output" } });
    expect(r.error!.message).toMatch(/^could not plan 3 shots: the shot plan was invalid twice/);
  });

  it("refuses shot counts the target does not take", async () => {
    await expect(optimize("a kite", { model, shots: 5, maxShots: 4 })).rejects.toThrow("shots must be an integer from 2 to 4, got 5");
  });
});
