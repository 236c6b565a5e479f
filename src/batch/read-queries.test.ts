import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readQueries } from "./read-queries.js";

const write = (name: string, content: string) => {
  const path = join(mkdtempSync(join(tmpdir(), "vpo-read-")), name);
  writeFileSync(path, content);
  return path;
};
const collect = async (path: string) => {
  const items = [];
  for await (const item of readQueries(path)) items.push("error" in item ? { index: item.index, line: item.line, error: item.error.message } : item);
  return items;
};

describe("readQueries", () => {
  it("reads .txt: one query a non-blank line, BOM and CRLF handled", async () => {
    const path = write("q.txt", "\uFEFFa cat\r\n\r\n  \na dog\r\n");
    expect(await collect(path)).toEqual([
      { index: 0, line: 1, query: "a cat" },
      { index: 1, line: 4, query: "a dog" },
    ]);
  });

  it("reads .json arrays of strings and of objects", async () => {
    const path = write("q.json", JSON.stringify(["a cat", { query: "a dog", id: 3 }, 5]));
    const items = await collect(path);
    expect(items[0]).toEqual({ index: 0, query: "a cat" });
    expect(items[1]).toEqual({ index: 1, id: 3, query: "a dog" });
    expect(items[2]).toMatchObject({ index: 2, error: expect.stringMatching(/item 2 is number/) });
  });

  it("rejects a .json file that is not an array, naming the file", async () => {
    const path = write("q.json", '{"query": "x"}');
    await expect(collect(path)).rejects.toThrow(`${path}: expected a JSON array`);
  });

  it("names missing files and unsupported types", async () => {
    await expect(collect("/nonexistent/q.txt")).rejects.toThrow("/nonexistent/q.txt: no such file");
    await expect(collect(write("q.csv", "a"))).rejects.toThrow(/unsupported input type ".csv"/);
  });
});
