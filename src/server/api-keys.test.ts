import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ApiKeys, parseApiKeys } from "./api-keys.js";

describe("API keys", () => {
  it("accepts raw and sha256: entries, skips comments, and identifies a key by a hash prefix", () => {
    const hashed = createHash("sha256").update("second").digest("hex");
    const keys = new ApiKeys(parseApiKeys(`# comment\nfirst\n\nsha256:${hashed.toUpperCase()}\n`, "keys.txt"));
    expect(keys.size).toBe(2);
    expect(keys.verify("first")).toMatch(/^[0-9a-f]{12}$/);
    expect(keys.verify("second")).toBe(hashed.slice(0, 12));
    expect(keys.verify("third")).toBeUndefined();
    expect(keys.verify("first")).not.toContain("first");
  });

  it("names the line of a malformed entry", () => {
    expect(() => parseApiKeys("ok\nsha256:abc", "keys.txt")).toThrow(/keys.txt:2: a sha256: entry needs 64 hex digits/);
  });
});
