import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { feedbackCacheDir, openFeedbackBackends } from "./feedback-backends.js";

describe("openFeedbackBackends", () => {
  const out = mkdtempSync(join(tmpdir(), "vpo-feedback-"));

  it("opens both backends from one settings object, sharing the run's cache unless told otherwise", async () => {
    const backends = await openFeedbackBackends({ out, video: { command: "render {prompt} {output}", extension: "webm" }, reward: { url: "http://127.0.0.1:9/score", concurrency: 3 } });
    expect(backends.video.info.kind).toBe("command");
    expect(backends.reward).toMatchObject({ info: { kind: "http" }, concurrency: 3 });
    await backends.dispose();
    expect(feedbackCacheDir({ out })).toBe(join(out, "cache"));
    expect(feedbackCacheDir({ out, cacheDir: "/shared/cache" })).toBe("/shared/cache");
  });

  it("refuses two backends of one kind, and names the one that is missing", async () => {
    await expect(openFeedbackBackends({ out, video: { command: "render", url: "http://127.0.0.1:9/video" } })).rejects.toThrow(/give one video backend/);
    await expect(openFeedbackBackends({ out, video: { command: "render {prompt} {output}" }, reward: { command: "score", url: "http://127.0.0.1:9/score" } })).rejects.toThrow(/a reward command or a reward URL/);
    await expect(openFeedbackBackends({ out, reward: { command: "score" } })).rejects.toThrow(UsageError);
    await expect(openFeedbackBackends({ out, video: { url: "http://127.0.0.1:9/video" } })).rejects.toThrow(/no reward backend/);
  });
});
