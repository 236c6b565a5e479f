import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedServer, type RecordedRequest, type ScriptedServer } from "../../test/fixtures/scripted-server.js";
import { UsageError } from "../errors.js";
import { openHttpModel } from "../model/openai-compatible.js";
import type { TextModel } from "../model/types.js";
import { selectBest } from "./select-best.js";

let server: ScriptedServer;
let judge: TextModel;
beforeAll(async () => {
  server = await startScriptedServer();
  judge = await openHttpModel({ baseUrl: server.url, model: "judge", retries: 0 });
});
afterAll(async () => {
  await judge.dispose();
  await server.close();
});

const systemOf = (r: RecordedRequest) => String(r.body!.messages[0]!.content);
const stringAfter = (text: string, label: string) => JSON.parse(new RegExp(`${label} \\(a JSON string\\): ("(?:[^"\\\\]|\\\\.)*")`).exec(text)![1]!) as string;

const CATS = "two cats playing piano";
const cats = [
  "I'm sorry, but I can't help with that request.",
  "A cat playing a grand piano in a cozy living room, warm lamplight.",
  "Two cats playing piano in a room splattered with blood and gore, guts on the keys.",
  "Two cats playing a grand piano in a cozy living room, paws on the keys, warm lamplight, slow dolly shot.",
  "Two cats playing piano.",
];

describe("selectBest by checks", () => {
  it("ranks safe, non-refusing, intent-keeping prompts first and breaks the tie by detail within the length budget", async () => {
    const s = await selectBest(CATS, cats, { method: "checks" });
    expect(s.winner).toBe(3);
    expect(s.prompt).toBe(cats[3]);
    expect(s.candidates.map((c) => c.rank)).toEqual([4, 3, 5, 1, 2]);
    expect(s.candidates[2]).toMatchObject({ safe: false, scores: { checks: { safe: false } } });
    expect(s.candidates[0]!.scores.checks.refusal).toBe(true);
    expect(s.candidates[1]!.scores.checks.requiredMissing.length).toBeGreaterThan(0);
    expect(s.why).toMatch(/^Candidate 3 won by checks: it is more detailed within the length budget \(\d+ vs 4 words\) \(over candidate 4\)\.$/);
    expect(server.chatRequests()).toHaveLength(0);
  });

  it("prefers a prompt within the length budget to a longer one", async () => {
    const s = await selectBest(CATS, [cats[3]!, cats[4]!], { method: "checks", maxWords: 8 });
    expect(s.winner).toBe(1);
    expect(s.why).toContain("fits the length budget");
  });

  it("needs the backends its method uses", async () => {
    await expect(selectBest(CATS, cats, { method: "judge" })).rejects.toBeInstanceOf(UsageError);
    await expect(selectBest(CATS, cats, { method: "reward", judge })).rejects.toThrow(/video backend/);
    await expect(selectBest(CATS, [], { method: "checks" })).rejects.toThrow(/no candidate/);
  });
});

describe("selectBest by judge", () => {
  const fox = "a red fox leaping through fresh snow";
  const foxes = [
    "A red fox leaping through fresh snow, warm morning light, slow tracking shot.",
    "A red fox leaping through fresh snow toward a hunter's steel trap, soft golden light, close-up.",
    "A red fox leaping through fresh snow beside frozen pines, misty dawn light, gentle pan.",
    "A red fox leaping through fresh snow under a pale winter sun, flakes swirling around it, handheld camera, shallow depth of field.",
  ];
  it("ranks by the 1–5 rubric, never lets a prompt the judge calls harmful win, and records an unreadable score as a failure", async () => {
    server.setScript((r) => {
      const prompt = stringAfter(r.userText!, "Video prompt to score");
      if (prompt.includes("trap")) return { text: JSON.stringify({ harmless: { score: 2, reason: "cruelty" }, accurate: { score: 5, reason: "" }, helpful: { score: 5, reason: "" } }) };
      if (prompt.includes("pines")) return { text: 'Here you go:\n```json\n{"harmless": {"score": "5/5", "reason": "fine"}, "accurate": {"score": "4", "reason": "ok"}, "helpful": {"score": 2, "reason": "flat"}}\n```' };
      if (prompt.includes("pale winter")) return { text: "I think it is pretty good overall." };
      return { text: JSON.stringify({ harmless: { score: 5, reason: "" }, accurate: { score: 3, reason: "no leap" }, helpful: { score: 2, reason: "" } }) };
    });
    const before = server.chatRequests().length;
    const s = await selectBest(fox, foxes, { method: "judge", judge });
    const asked = server.chatRequests().slice(before);
    expect(asked).toHaveLength(4);
    expect(systemOf(asked[0]!)).toMatch(/^You score video prompts/);
    expect(asked[0]!.body!.response_format).toMatchObject({ type: "json_schema" });
    expect(s.winner).toBe(2);
    expect(s.candidates[2]!.scores.judge).toMatchObject({ harmless: 5, accurate: 4, helpful: 2, total: 11 });
    expect(s.candidates[1]).toMatchObject({ safe: false, scores: { judge: { total: 12 } } });
    expect(s.candidates[1]!.rank).toBe(4);
    expect(s.candidates[3]!.errors).toEqual([expect.objectContaining({ step: "judge", code: "model-output", raw: "I think it is pretty good overall." })]);
    expect(s.candidates[3]!.scores.judge).toBeUndefined();
    expect(s.candidates[3]!.rank).toBe(3);
    expect(s.why).toBe("Candidate 2 won by judge: the judge scored it 11/15 (harmless 5, accurate 4, helpful 2) against 10/15 (harmless 5, accurate 3, helpful 2) for candidate 0.");
    expect(s.usage.requests).toBe(4);
    expect(s.rubric?.name).toBe("vpo-score");
    expect(s.judgeModel).toMatchObject({ id: "judge" });
  });

  it("breaks equal judge scores by the checks, then by the candidate's order", async () => {
    server.setScript(() => ({ text: JSON.stringify({ harmless: { score: 5, reason: "" }, accurate: { score: 4, reason: "" }, helpful: { score: 4, reason: "" } }) }));
    const s = await selectBest(fox, [foxes[0]!, foxes[3]!, foxes[3]!], { method: "judge", judge });
    expect(s.winner).toBe(1);
    expect(s.candidates.map((c) => c.rank)).toEqual([3, 1, 2]);
    expect(s.why).toMatch(/did not separate it from candidate 2, so the checks decided: the checks tie and it comes first/);
  });
});

describe("selectBest by tournament (judge)", () => {
  const dog = "a golden retriever catching a frisbee on a beach";
  const dogs = [
    "A golden retriever catching a frisbee on a beach.",
    "A golden retriever leaps to catch a red frisbee on a sunlit beach, waves breaking behind it, sand flying, slow-motion tracking shot.",
    "A dog on a beach.",
    "A golden retriever catching a frisbee on a beach at sunset, golden backlight.",
  ];
  const prompts = (r: RecordedRequest) => [stringAfter(r.userText!, "Prompt A"), stringAfter(r.userText!, "Prompt B")] as const;

  it("a judge that always prefers the first position decides nothing: every pair is a tie and the checks pick", async () => {
    server.setScript(() => ({ text: JSON.stringify({ better: "A", reason: "A is better" }) }));
    const before = server.chatRequests().length;
    const progress: string[] = [];
    const s = await selectBest(dog, dogs, { method: "tournament", judge, onProgress: (p) => progress.push(`${p.done}/${p.total} ${p.unit}`) });
    expect(progress).toEqual(["1/3 matches", "2/3 matches", "3/3 matches"]);
    expect(s.rubric?.name).toBe("vpo-pairwise");
    const asked = server.chatRequests().slice(before);
    expect(asked).toHaveLength(2 * (dogs.length - 1));
    for (const r of asked) expect(systemOf(r)).toMatch(/^You compare two video prompts/);
    // Each pair was asked in both orders.
    const pairs = asked.map((r) => prompts(r).join("\u0000"));
    for (const r of asked) expect(pairs).toContain([...prompts(r)].reverse().join("\u0000"));
    expect(s.matches!.every((m) => m.decidedBy === "tiebreak" && m.note === "the two orders disagree (position bias)")).toBe(true);
    expect(s.matches![0]).toMatchObject({ round: 1, a: 0, b: 1, orders: [0, 1], winner: 1 });
    expect(s.winner).toBe(1);
    expect(s.why).toMatch(/^Candidate 1 won by tournament: its final against candidate 3 went to the deterministic tiebreak \(the two orders disagree \(position bias\)\), where it is more detailed/);
  });

  it("a judge that prefers the truly better prompt in both orders decides, and an unsafe favourite still loses to a safe one", async () => {
    const unsafe = "A golden retriever catching a frisbee on a beach at sunset, its owner lying dead in a pool of blood.";
    // The judge prefers "sunset" wherever it is shown: the truly better prompt for it, whatever the order.
    server.setScript((r) => {
      const [a, b] = prompts(r);
      const better = a.includes("sunset") === b.includes("sunset") ? "tie" : a.includes("sunset") ? "A" : "B";
      return { text: JSON.stringify({ better, reason: "sunset" }) };
    });
    const s = await selectBest(dog, [...dogs, unsafe], { method: "tournament", judge });
    expect(s.winner).toBe(3);
    const final = s.matches!.filter((m) => m.decidedBy !== "bye").at(-1)!;
    expect(final).toMatchObject({ a: 3, b: 4, winner: 3, decidedBy: "safety" });
    const round1 = s.matches!.filter((m) => m.round === 1);
    expect(round1.find((m) => m.a === 2)).toMatchObject({ b: 3, winner: 3, decidedBy: "both-orders", orders: [3, 3] });
    expect(s.candidates[4]).toMatchObject({ safe: false, rank: 5 });
    expect(s.why).toBe("Candidate 3 won by tournament: it beat candidate 4 on safety (candidate 4 is unsafe).");
  });

  it("a candidate the judge calls unsafe in either order loses by safety, even when the screen passes it and the judge prefers it", async () => {
    const trap = "A golden retriever catching a frisbee on a beach at sunset, then caught in a hunter's steel trap, whimpering.";
    server.setScript((r) => {
      const [a, b] = prompts(r);
      const unsafe = [a, b].flatMap((p, i) => (p.includes("trap") ? [i === 0 ? "A" : "B"] : []));
      return { text: JSON.stringify({ better: a.includes("trap") ? "A" : b.includes("trap") ? "B" : "tie", unsafe, reason: "" }) };
    });
    const s = await selectBest(dog, [trap, dogs[1]!], { method: "tournament", judge });
    expect(s.candidates[0]!.scores.checks.safe).toBe(true);
    expect(s.matches).toEqual([expect.objectContaining({ a: 0, b: 1, winner: 1, decidedBy: "safety", note: "the judge called candidate 0 unsafe" })]);
    expect(s.winner).toBe(1);
    expect(s.candidates[0]!.safe).toBe(false);
  });

  it("when the judge calls both finalists unsafe, a safe candidate knocked out earlier still outranks them", async () => {
    const night = [
      "A golden retriever catching a frisbee on a beach at night.",
      "A golden retriever leaps to catch a red frisbee on a sunlit beach, waves breaking behind it, slow-motion tracking shot.",
      "A golden retriever catching a frisbee on a dark beach at night, moonlight.",
      "A golden retriever catching a frisbee on a beach.",
    ];
    server.setScript((r) => {
      const [a, b] = prompts(r);
      const both = a.includes("night") && b.includes("night");
      const better = both || a.includes("night") === b.includes("night") ? "tie" : a.includes("night") ? "A" : "B";
      return { text: JSON.stringify({ better, unsafe: both ? ["A", "B"] : [], reason: "" }) };
    });
    const s = await selectBest(dog, night, { method: "tournament", judge });
    expect(s.matches!.at(-1)).toMatchObject({ a: 0, b: 2, decidedBy: "tiebreak" });
    expect([s.candidates[0]!.safe, s.candidates[2]!.safe]).toEqual([false, false]);
    expect(s.winner).toBe(1);
    expect(s.why).toMatch(/^Candidate 1 won by tournament: the knockout \(its winner turned out unsafe\) did not separate it from candidate 3, so the checks decided: /);
  });
});
