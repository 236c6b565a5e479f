import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { parseQueueUrl } from "./queue-url.js";

describe("parseQueueUrl", () => {
  it("reads redis:// and rediss:// URLs and hides credentials in what it shows", () => {
    expect(parseQueueUrl("redis://gpu-head:6380")).toMatchObject({ display: "redis://gpu-head:6380", prefix: "vpo" });
    expect(parseQueueUrl("rediss://user:secret@queue.internal/2").display).toBe("rediss://queue.internal:6379/2");
  });

  it("refuses what is not a Redis URL, saying what to give", () => {
    for (const bad of ["localhost:6379", "http://host:6379", "redis://host:6379/main"]) {
      expect(() => parseQueueUrl(bad)).toThrow(UsageError);
    }
    expect(() => parseQueueUrl("http://host:6379")).toThrow(/give redis:\/\/HOST:PORT/);
  });
});
