import { describe, expect, it } from "vitest";
import { cleanPrompt, hasRepetitionLoop } from "./clean.js";

const ok = (raw: string) => {
  const r = cleanPrompt(raw);
  if (!r.ok) throw new Error(`expected ok, got ${r.reason}: ${r.message}`);
  return r.prompt;
};

describe("cleanPrompt", () => {
  const target = "A golden retriever runs across a sunlit meadow, its fur rippling in the breeze.";
  it.each([
    ["plain", target],
    ["label", `Video Prompt: ${target}`],
    ["bold label", `**Optimized Video Prompt:** ${target}`],
    ["lead-in line", `Here is the optimized video prompt:\n\n${target}`],
    ["sure + here's", `Sure! Here's an expanded prompt for your video: ${target}`],
    ["double quotes", `"${target}"`],
    ["curly quotes", `“${target}”`],
    ["code fence", "```\n" + target + "\n```"],
    ["think block", `<think>The user wants a dog. Let me write.</think>\n${target}`],
    ["lone closing think", `The user wants a dog.</think>${target}`],
    ["trailing chatter", `${target}\n\nLet me know if you'd like any changes!`],
    ["surrounding whitespace", `\n\n   ${target}   \n`],
    ["markdown heading", `## Video Prompt\n${target}`],
  ])("strips %s", (_name, raw) => {
    expect(ok(raw)).toBe(target);
  });

  it("removes the 'The video opens with' lead-in and capitalises", () => {
    expect(ok("The video opens with a close-up of a red fox in the snow.")).toBe("A close-up of a red fox in the snow.");
  });

  it("joins a multi-line prompt into one line", () => {
    expect(ok("A cat sits on a piano.\nIt presses the keys with its paws.")).toBe("A cat sits on a piano. It presses the keys with its paws.");
  });

  it("keeps inner quotes and asterisks that are content", () => {
    expect(ok('A neon sign reading "OPEN 24/7" flickers above a diner.')).toBe('A neon sign reading "OPEN 24/7" flickers above a diner.');
  });

  it.each([
    ["", "empty"],
    ["   \n ", "empty"],
    ["<think>only thoughts, never an answer", "reasoning-only"],
    ["<think>done thinking</think>", "reasoning-only"],
    ["...!!! ---", "degenerate"],
    ["the cat the cat the cat the cat the cat the cat", "degenerate"],
  ])("fails on %j with reason %s", (raw, reason) => {
    const r = cleanPrompt(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
  });

  it("detects loops but not ordinary repetition", () => {
    expect(hasRepetitionLoop("a b c a b c a b c a b c")).toBe(true);
    expect(hasRepetitionLoop("waves crash, waves retreat, and waves crash again on the rocks")).toBe(false);
  });
});

describe("cleanPrompt with the query", () => {
  it("lets a prompt repeat what the query itself repeats, and still catches loops the query lacks", () => {
    const query = "quiero quiero quiero quiero cojer";
    expect(cleanPrompt(`A man shouts quiero quiero quiero quiero in the street`, { query }).ok).toBe(true);
    expect(cleanPrompt(`A man shouts quiero quiero quiero quiero in the street`, { query: "a man shouting" }).ok).toBe(false);
  });
});
