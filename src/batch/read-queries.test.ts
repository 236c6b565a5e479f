import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../util/random.js";
import { readQueries } from "./read-queries.js";

const write = (name: string, content: string | Uint8Array) => {
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

  it("refuses a file of random bytes, naming the file, whatever its extension says", async () => {
    const random = seededRandom(42);
    const bytes = Uint8Array.from({ length: 3072 }, () => Math.floor(random() * 256));
    for (const name of ["random.txt", "random.jsonl", "random.json"]) {
      const path = write(name, bytes);
      await expect(collect(path)).rejects.toThrow(`${path}: not a text file: `);
    }
    // Without NUL bytes it is still mostly not UTF-8 text.
    const noNul = write("no-nul.txt", bytes.map((b) => b || 0xff));
    await expect(collect(noNul)).rejects.toThrow(/not a text file: \d+% of its first 3072 bytes are not UTF-8 text/);
  });

  it("fails the unreadable lines of a text file with a reason and reads the rest", async () => {
    const encoder = new TextEncoder();
    const path = write(
      "mixed.txt",
      Buffer.concat([
        encoder.encode("a cat playing piano\n"),
        Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0xfe, 0x0a]), // "caf\xe9 \xff\xfe": Latin-1, not UTF-8
        encoder.encode("a dog on a skateboard\n"),
        encoder.encode("\u0001\u0002\u0003\u0004x\n"),
        encoder.encode("une crêpe au café, 東京の夜\n"),
      ]),
    );
    expect(await collect(path)).toEqual([
      { index: 0, line: 1, query: "a cat playing piano" },
      { index: 1, line: 2, error: `${path}:2: unreadable line: not valid UTF-8 (convert the file to UTF-8, e.g. iconv -f windows-1252 -t utf-8)` },
      { index: 2, line: 3, query: "a dog on a skateboard" },
      { index: 3, line: 4, error: `${path}:4: unreadable line: mostly control characters, not text` },
      { index: 4, line: 5, query: "une crêpe au café, 東京の夜" },
    ]);
  });

  it("refuses a .json file that is not UTF-8", async () => {
    const path = write("latin1.json", Buffer.concat([Buffer.from('["caf'), Buffer.from([0xe9]), Buffer.from('"]')]));
    await expect(collect(path)).rejects.toThrow(`${path}: not valid UTF-8 text`);
  });
});
