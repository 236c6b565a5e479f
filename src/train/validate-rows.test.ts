import { describe, expect, it } from "vitest";
import { vpoTemplate } from "../optimize/template.js";
import { pairRow, sftRow } from "./conversation.js";
import { chatTokens } from "./tokens/chat-tokens.js";
import { estimatedTokenCounter } from "./tokens/token-counter.js";
import { checkRoles, RowValidator } from "./validate-rows.js";

const src = { file: "in.jsonl", line: 3 };

describe("row validation", () => {
  it("keeps a good SFT row whose user turn is the VPO contract, with its token count", () => {
    const v = new RowValidator(estimatedTokenCounter, 2048);
    const checked = v.sft(sftRow({ query: "  a cat piano ", prompt: " A cat plays a grand piano. " }, src), "a cat piano");
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.row.messages).toEqual([...vpoTemplate.render("a cat piano"), { role: "assistant", content: "A cat plays a grand piano." }]);
    expect(checked.tokens).toBeGreaterThan(200);
  });

  it("drops empty texts, lone surrogates, over-cutoff rows and duplicates, naming file, line and reason", () => {
    const v = new RowValidator(estimatedTokenCounter, 400);
    const drop = (r: ReturnType<RowValidator["sft"]>) => (r.ok ? undefined : [r.dropped.reason, r.dropped.detail, r.dropped.line]);
    expect(drop(v.sft(sftRow({ query: " ", prompt: "x" }, src), " "))).toEqual(["empty", "query is empty", 3]);
    expect(drop(v.sft(sftRow({ query: "q", prompt: "\n" }, src), "q"))).toEqual(["empty", "prompt is empty", 3]);
    expect(drop(v.sft(sftRow({ query: "q", prompt: "bad \uD800 text" }, src), "q"))?.[0]).toBe("invalid-unicode");
    expect(drop(v.sft(sftRow({ query: "q", prompt: "word ".repeat(400) }, src), "q"))?.[1]).toMatch(/tokens > cutoff 400 \(estimated\)/);
    expect(v.sft(sftRow({ query: "q", prompt: "fine" }, src), "q").ok).toBe(true);
    expect(drop(v.sft(sftRow({ query: "q", prompt: "fine" }, { file: "in.jsonl", line: 9 }), "q"))).toEqual(["duplicate", "same query and prompt as an earlier row", 9]);
  });

  it("drops pairs whose chosen equals rejected up to whitespace, and counts the longer response against the cutoff", () => {
    const v = new RowValidator(estimatedTokenCounter, 2048);
    const same = v.pair(pairRow({ query: "q", chosen: "A  cat.", rejected: " A cat. ", source: "text" }, src), "q");
    expect(same.ok ? undefined : same.dropped.reason).toBe("same-chosen-rejected");
    const short = v.pair(pairRow({ query: "q", chosen: "short", rejected: "much longer ".repeat(50), source: "video" }, src), "q");
    const longer = chatTokens(estimatedTokenCounter, [...vpoTemplate.render("q"), { role: "assistant", content: "much longer ".repeat(50).trim() }]);
    expect(short.ok && short.tokens).toBe(longer);
  });

  it("roles must alternate from user and end on the trained turn; a system turn is refused", () => {
    expect(checkRoles([{ role: "user", content: "a" }, { role: "assistant", content: "b" }], "assistant")).toBeUndefined();
    expect(checkRoles([{ role: "system", content: "s" }, { role: "user", content: "a" }], "user")).toBe('turn 1 is "system", expected "user"');
    expect(checkRoles([{ role: "user", content: "a" }, { role: "assistant", content: "b" }], "user")).toBe('last turn is "assistant", expected "user"');
  });
});
