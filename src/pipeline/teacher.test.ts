import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_DEMONSTRATIONS, loadDemonstrations, teacherTemplate } from "./teacher.js";

const file = (name: string, text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), "vpo-demos-")), name);
  writeFileSync(path, text);
  return path;
};

describe("teacher demonstrations", () => {
  it("cover a plain, an unsafe, a flag-carrying and a one-word query, none echoing unsafe words or format flags", () => {
    const queries = DEFAULT_DEMONSTRATIONS.map((d) => d.query);
    expect(queries.some((q) => /blood|shot/.test(q))).toBe(true);
    expect(queries.some((q) => /-neg .* -ar /.test(q))).toBe(true);
    expect(queries.some((q) => !q.includes(" "))).toBe(true);
    for (const d of DEFAULT_DEMONSTRATIONS) {
      expect(d.prompt).not.toMatch(/\bblood\b|-ar|16:9|-neg|distorted|^The video opens/i);
    }
  });

  it("renders a system turn, the demonstrations as user/assistant turns, then the query", () => {
    const t = teacherTemplate();
    const messages = t.render("  a cat piano ");
    expect(messages[0]!.role).toBe("system");
    expect(messages.slice(1, -1).map((m) => m.role)).toEqual(DEFAULT_DEMONSTRATIONS.flatMap(() => ["user", "assistant"]));
    expect(messages.at(-1)).toEqual({ role: "user", content: "a cat piano" });
    expect(t.version).toMatch(/^[0-9a-f]{12}$/);
  });

  it("loads replacement demonstrations from JSON or JSONL, with a new version, and names the file and line of a bad one", async () => {
    const demos = [{ query: "a dog", prompt: "A dog runs across a meadow." }];
    const fromJson = await loadDemonstrations(file("d.json", JSON.stringify(demos)));
    const fromJsonl = await loadDemonstrations(file("d.jsonl", demos.map((d) => JSON.stringify(d)).join("\n")));
    expect(fromJson.demonstrations).toEqual(demos);
    expect(fromJsonl.version).toBe(fromJson.version);
    expect(fromJson.version).not.toBe(teacherTemplate().version);
    const bad = file("bad.jsonl", `${JSON.stringify(demos[0])}\n{"query": "x",\n`);
    await expect(loadDemonstrations(bad)).rejects.toThrow(`${bad}:2: not valid JSON`);
    await expect(loadDemonstrations(file("e.json", '[{"query": "x"}]'))).rejects.toThrow(/expected a list of \{"query", "prompt"\} demonstrations/);
  });
});
