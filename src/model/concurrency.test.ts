import { describe, expect, it } from "vitest";
import { defaultConcurrency, EMBEDDED_CONCURRENCY, SERVER_CONCURRENCY } from "./concurrency.js";

describe("defaultConcurrency", () => {
  it("gives a batch more requests on a server than sequences in-process", () => {
    expect(defaultConcurrency({ baseUrl: "http://127.0.0.1:8000/v1" }, { batch: true })).toBe(SERVER_CONCURRENCY);
    expect(defaultConcurrency({}, { batch: true })).toBe(EMBEDDED_CONCURRENCY);
    expect(EMBEDDED_CONCURRENCY).toBeLessThan(SERVER_CONCURRENCY);
  });

  it("runs one query's candidates side by side, up to the in-process limit", () => {
    expect(defaultConcurrency({}, { batch: false })).toBe(1);
    expect(defaultConcurrency({ baseUrl: "http://x/v1" }, { batch: false, candidates: 3 })).toBe(3);
    expect(defaultConcurrency({}, { batch: false, candidates: 16 })).toBe(EMBEDDED_CONCURRENCY);
  });
});
