/** The playground's pure text helpers (no DOM): highlighting ranges and server-sent event framing. */
import { describe, expect, it } from "vitest";
import { SseEvents } from "../web/src/playground/sse-events.js";
import { locate, segments } from "../web/src/playground/text-segments.js";

describe("highlight segments", () => {
  it("cuts a text into plain and marked pieces that join back to the text, merging overlaps", () => {
    const text = "a naked bloody dancer";
    const pieces = segments(text, [
      { start: 2, end: 7, mark: "sexual" },
      { start: 5, end: 14, mark: "violence" },
      { start: 40, end: 44, mark: "outside" },
    ]);
    expect(pieces.map((p) => p.text).join("")).toBe(text);
    expect(pieces).toEqual([{ text: "a " }, { text: "naked", mark: "sexual" }, { text: " bloody", mark: "violence" }, { text: " dancer" }]);
  });

  it("keeps a span at its offsets when they hold its text, else finds its text (offsets of another version of the text)", () => {
    const typed = "topless dancer -neg blur on a beach";
    expect(locate(typed, [{ start: 0, end: 7, text: "topless", category: "sexual" }])).toEqual([{ start: 0, end: 7, mark: "sexual" }]);
    // The guard screens the query without its -neg list, so its offsets can point elsewhere in the typed query.
    expect(locate("a beach -neg blur, topless dancer", [{ start: 8, end: 15, text: "topless" }])).toEqual([{ start: 19, end: 26, mark: "flagged" }]);
    expect(locate("a calm beach", [{ start: 0, end: 5, text: "naked" }])).toEqual([]);
  });

  it("renders markup-looking text as plain pieces", () => {
    const text = "<img src=x onerror=alert(1)> </script>";
    expect(segments(text, [])).toEqual([{ text }]);
  });
});

describe("SseEvents", () => {
  it("frames events across chunk boundaries, with CRLF line ends and multi-line data", () => {
    const events = new SseEvents();
    expect(events.push('event: delta\ndata: {"index":0,"te')).toEqual([]);
    expect(events.push('xt":"A "}\n\nevent: delta\r\ndata: {"index":0,"text":"cat"}\r\n\r\n')).toEqual([
      { event: "delta", data: '{"index":0,"text":"A "}' },
      { event: "delta", data: '{"index":0,"text":"cat"}' },
    ]);
    expect(events.push("data: line one\ndata: line two\n\n: comment only\n\n")).toEqual([{ event: "message", data: "line one\nline two" }]);
  });
});
