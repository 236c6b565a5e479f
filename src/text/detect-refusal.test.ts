import { describe, expect, it } from "vitest";
import { detectRefusal } from "./detect-refusal.js";

describe("detectRefusal", () => {
  it.each([
    "I'm sorry, but I can't help with that request.",
    "I’m sorry, I can’t assist with creating that content.",
    "Sorry, I cannot generate a prompt for this.",
    "I apologize, but I am unable to fulfill this request as it involves explicit content.",
    "I can't create content that depicts violence against real people.",
    "I cannot help with this. If you have another idea, I'd be glad to help!",
    "Unfortunately, I can't produce that kind of video description.",
    "As an AI language model, I must adhere to ethical guidelines and cannot create explicit material.",
    "This request violates our content policy, so I won't be able to expand it.",
    "I'm not able to write prompts that sexualize real people.",
    "I must decline to create this video prompt.",
    "I won't help with that.",
    "Your request contains explicit content that I cannot help with.",
    "I'm afraid I can't do that.",
    "Let's keep it respectful. I can't write that.",
    "**I'm sorry, but I can't comply with this request.**",
    "<think>The user wants nudity.</think>I'm sorry, but I can't help with that.",
    "Lo siento, no puedo ayudar con esa solicitud.",
    "抱歉，我无法帮助生成这个内容。",
    "This content is inappropriate and goes against the guidelines.",
    "I do not feel comfortable creating a prompt about this topic.",
  ])("detects %j", (reply) => {
    const r = detectRefusal(reply);
    expect(r.refusal).toBe(true);
    expect(r.matched).toBeTruthy();
  });

  it.each([
    "A golden retriever runs across a sunlit meadow, its fur rippling in the breeze.",
    'A man kneels in the rain and says "I\'m sorry, I can\'t do this anymore" to the woman at the door.',
    "A neon sign reading “Sorry, we're closed” flickers above an empty diner at night.",
    "A child apologizes to her teacher after spilling paint on the classroom floor.",
    "Twenty coins minus eleven coins leave nine gleaming coins stacked on a wooden table.",
    "A policy analyst reads guidelines at her desk while rain streaks the window.",
    "An AI robot paints a portrait of a sorry-looking dog in a cozy studio.",
  ])("does not mistake a prompt for a refusal: %j", (prompt) => {
    expect(detectRefusal(prompt)).toEqual({ refusal: false });
  });

  it("tells a bare refusal from one that offers a safer alternative", () => {
    expect(detectRefusal("I'm sorry, but I can't help with that.").kind).toBe("full");
    const alt =
      "I'm sorry, but I can't create explicit content. Instead, I can offer a tasteful version: A woman in an elegant evening gown walks along a moonlit beach, the waves glinting silver as a gentle breeze lifts her hair and the camera tracks slowly beside her.";
    expect(detectRefusal(alt)).toMatchObject({ refusal: true, kind: "with-alternative" });
  });
});
