import { describe, expect, it } from "vitest";
import { cleanPrompt } from "./clean.js";
import { PromptStream } from "./prompt-stream.js";

/** Feeds a reply word by word and returns what a client would have seen, plus the cleaned prompt. */
function replay(reply: string) {
  const stream = new PromptStream("a cat");
  const pieces = reply.match(/\S+\s*/g)!;
  let raw = "";
  let shown = "";
  let streamedBeforeEnd = 0;
  for (const [i, piece] of pieces.entries()) {
    raw += piece;
    const delta = stream.update(raw);
    if (delta && i < pieces.length - 1) streamedBeforeEnd++;
    shown += delta;
  }
  const cleaned = cleanPrompt(raw, { query: "a cat" });
  if (!cleaned.ok) throw new Error(cleaned.message);
  const end = stream.finish(cleaned.prompt);
  return { shown: shown + end.delta, consistent: end.consistent, prompt: cleaned.prompt, streamedBeforeEnd };
}

const BODY =
  "A fluffy grey cat sits at a grand piano in a dim jazz club, paws pressing the keys as warm amber spotlights catch drifting smoke; the camera slowly dollies in past the audience while a double bass player nods along.";

describe("PromptStream", () => {
  it("shows the cleaned prompt while it is generated, without the lead-in, and ends on exactly the prompt", () => {
    const r = replay(`Sure! Here is the optimized prompt: ${BODY}`);
    expect(r.consistent).toBe(true);
    expect(r.shown).toBe(r.prompt);
    expect(r.prompt.startsWith("A fluffy grey cat")).toBe(true);
    expect(r.streamedBeforeEnd).toBeGreaterThan(5);
  });

  it("holds back trailing chatter that cleaning drops", () => {
    const r = replay(`${BODY}\n\nI hope this helps! Let me know if you would like any changes.`);
    expect(r.shown).toBe(BODY);
    expect(r.consistent).toBe(true);
  });

  it("holds a reply wrapped in quotes until the end, when the quotes come off", () => {
    const r = replay(`"${BODY}"`);
    expect(r.shown).toBe(BODY);
    expect(r.streamedBeforeEnd).toBe(0);
  });

  it("says so when cleaning rewrote text already shown (a label late in the reply)", () => {
    const r = replay(`${BODY} Thinking about it more, a tighter version works better.\n\nVideo Prompt: A grey cat plays a grand piano under amber spotlights.`);
    expect(r.prompt).toBe("A grey cat plays a grand piano under amber spotlights.");
    expect(r.consistent).toBe(false);
  });
});
