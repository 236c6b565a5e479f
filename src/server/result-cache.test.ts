import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ResultCache } from "./result-cache.js";

describe("ResultCache", () => {
  it("expires entries after the TTL, evicts the oldest beyond the cap, and keeps entries across reopening", () => {
    let now = 1_000;
    const path = join(mkdtempSync(join(tmpdir(), "vpo-cache-")), "cache.sqlite");
    const cache = new ResultCache({ path, ttlMs: 100, maxEntries: 10, now: () => now });
    cache.set("a", '{"v":1}');
    expect(cache.get("a")).toBe('{"v":1}');
    now += 101;
    expect(cache.get("a")).toBeUndefined();
    for (let i = 0; i < 25; i++) {
      now++;
      cache.set(`k${i}`, String(i));
    }
    expect(cache.size).toBeLessThanOrEqual(10);
    expect(cache.get("k24")).toBe("24");
    expect(cache.get("k0")).toBeUndefined();
    cache.close();
    const reopened = new ResultCache({ path, ttlMs: 100, maxEntries: 10, now: () => now });
    expect(reopened.get("k24")).toBe("24");
    reopened.close();
  });
});
