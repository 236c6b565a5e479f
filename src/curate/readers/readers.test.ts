import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { splitCsvRecord } from "./csv-record.js";
import { openInput } from "./open-input.js";
import { isMalformed, type InputItem } from "./types.js";

const dir = mkdtempSync(join(tmpdir(), "vpo-readers-"));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

async function readAll(path: string, options: { column?: string } = {}): Promise<{ items: InputItem[]; detoxify: string[] }> {
  const source = await openInput(path, options);
  const items: InputItem[] = [];
  for await (const batch of source.rows()) items.push(...batch);
  return { items, detoxify: source.detoxifyColumns };
}

const HEADER = "uuid,prompt,time,toxicity,obscene,identity_attack,insult,threat,sexual_explicit\n";

describe("splitCsvRecord", () => {
  it("handles quoted fields, escaped quotes, stray quotes and empty fields", () => {
    expect(splitCsvRecord('a,"b, c","say ""hi""",,d"e"')).toEqual({ fields: ["a", "b, c", 'say "hi"', "", 'd"e"'], open: false });
    expect(splitCsvRecord('1,"5\'10" man,x",2')).toEqual({ fields: ["1", '5\'10" man,x', "2"], open: false });
    expect(splitCsvRecord('1,"open')).toEqual({ fields: ["1", "open"], open: true });
    expect(splitCsvRecord("a,b,")).toEqual({ fields: ["a", "b", ""], open: false });
  });
});

describe("openInput: VidProM CSV", () => {
  it("reads a malformed CSV: reports each bad row with its line and loses nothing else", async () => {
    const csv = Buffer.concat([
      Buffer.from(`\ufeff${HEADER}`),
      Buffer.from("u1,a cat playing piano,2024,0.01,0,0,0,0,0\n"),
      Buffer.from('u2,"unbalanced quote here,2024,0.01,0,0,0,0,0\n'),
      Buffer.from("u3,a dog on a skateboard,2024,0.9,0.1,0,0,0,0.8\n"),
      Buffer.from("u4,missing columns\n"),
      Buffer.from("u5,caf"),
      Buffer.from([0xe9]), // "é" in Latin-1: not UTF-8
      Buffer.from(" au lait in the rain,2024,0,0,0,0,0,0\r\n"),
      Buffer.from('u6,"a multi\nline ""quoted"" prompt",2024,0,0,0,0,0,0\n'),
      Buffer.from('u7,"never closed,2024,0,0,0,0,0,0\n'),
      Buffer.from("u8,the last row,2024,,,,,,\n"),
    ]);
    const { items, detoxify } = await readAll(file("vidprom.csv", csv));
    expect(detoxify).toEqual(["toxicity", "obscene", "identity_attack", "insult", "threat", "sexual_explicit"]);
    const malformed = items.filter(isMalformed);
    expect(malformed.map((m) => [m.index, m.line])).toEqual([
      [1, 3],
      [3, 5],
      [6, 9],
    ]);
    expect(malformed[0]!.error).toMatch(/unbalanced quote/);
    expect(malformed[1]!.error).toBe("expected 9 columns, found 2");
    expect(malformed[2]!.error).toMatch(/unbalanced quote/);
    const rows = items.filter((i) => !isMalformed(i));
    expect(rows.map((r) => "query" in r && [r.index, r.line, r.id, r.query, r.toxicity])).toEqual([
      [0, 2, "u1", "a cat playing piano", 0.01],
      [2, 4, "u3", "a dog on a skateboard", 0.9],
      [4, 6, "u5", "café au lait in the rain", 0],
      [5, 7, "u6", 'a multi\nline "quoted" prompt', 0],
      [7, 10, "u8", "the last row", undefined],
    ]);
    expect(rows[2]).toMatchObject({ recoded: true });
  });

  it("names the file and the available columns when the query column is missing", async () => {
    await expect(openInput(file("nocol.csv", "a,b\n1,2\n"))).rejects.toThrow(/nocol\.csv: no query column: pass --column NAME \(columns: a, b\)/);
    const { items } = await readAll(file("generic.csv", "id,caption_en\n7,a red kite\n"), { column: "caption_en" });
    expect(items).toEqual([{ index: 0, line: 2, id: "7", query: "a red kite" }]);
  });

  it("splits .tsv files at tabs", async () => {
    const { items } = await readAll(file("q.tsv", "prompt\tother\na cat, a dog\tx\n"));
    expect(items).toEqual([{ index: 0, line: 2, query: "a cat, a dog" }]);
  });
});

describe("openInput: TXT, JSONL, JSON, Parquet", () => {
  it("reads TXT a query a non-blank line, recovering a Latin-1 line", async () => {
    const { items } = await readAll(file("q.txt", Buffer.concat([Buffer.from("a cat\n\n  \nna"), Buffer.from([0xef, 0x76, 0x65]), Buffer.from("\r\nlast")])));
    expect(items).toEqual([
      { index: 0, line: 1, query: "a cat" },
      { index: 1, line: 4, query: "naïve", recoded: true },
      { index: 2, line: 5, query: "last" },
    ]);
  });

  it("reads JSONL strings and objects; bad lines are malformed rows with their line", async () => {
    const { items, detoxify } = await readAll(file("q.jsonl", '"a cat"\n{"prompt":"a dog","toxicity":0.7,"uuid":"x"}\n{oops\n{"other":1}\n[1]\n'));
    expect(detoxify).toEqual(["toxicity"]);
    expect(items[0]).toEqual({ index: 0, line: 1, query: "a cat" });
    expect(items[1]).toEqual({ index: 1, line: 2, query: "a dog", toxicity: 0.7, id: "x" });
    expect(items.slice(2).map((i) => isMalformed(i) && [i.index, i.line])).toEqual([
      [2, 3],
      [3, 4],
      [4, 5],
    ]);
  });

  it("streams a JSON array and keeps the rows before a syntax error", async () => {
    expect((await readAll(file("q.json", '["a cat", {"query": "a dog"}, 3]'))).items).toEqual([
      { index: 0, query: "a cat" },
      { index: 1, query: "a dog" },
      { index: 2, error: "expected a string or an object with a query field, found number" },
    ]);
    const broken = (await readAll(file("broken.json", '["a cat", "a dog", oops'))).items;
    expect(broken.slice(0, 2)).toEqual([
      { index: 0, query: "a cat" },
      { index: 1, query: "a dog" },
    ]);
    expect(broken[2]).toMatchObject({ index: 2, error: expect.stringMatching(/invalid JSON/) });
    await expect(readAll(file("obj.json", '{"a": 1}'))).resolves.toMatchObject({ items: [{ error: expect.stringMatching(/expected a JSON array/) }] });
  });

  it("reads Parquet row group by row group with Detoxify columns", async () => {
    const n = 2500;
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: "uuid", data: Array.from({ length: n }, (_, i) => `u${i}`), type: "STRING" },
        { name: "prompt", data: Array.from({ length: n }, (_, i) => `query number ${i}`), type: "STRING" },
        { name: "toxicity", data: Array.from({ length: n }, (_, i) => (i % 10) / 10), type: "DOUBLE" },
        { name: "sexual_explicit", data: Array.from({ length: n }, () => 0.05), type: "DOUBLE" },
      ],
      rowGroupSize: 1000,
    });
    const source = await openInput(file("q.parquet", Buffer.from(buffer)));
    expect(source.detoxifyColumns).toEqual(["toxicity", "sexual_explicit"]);
    const batches: InputItem[][] = [];
    for await (const batch of source.rows()) batches.push(batch);
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 500]);
    expect(batches[2]![499]).toEqual({ index: 2499, query: "query number 2499", id: "u2499", toxicity: 0.9 });
    expect(batches[0]![0]).toEqual({ index: 0, query: "query number 0", id: "u0", toxicity: 0.05 });
  });

  it("rejects unknown extensions and missing files with the path", async () => {
    await expect(openInput(join(dir, "q.xlsx"))).rejects.toThrow(/q\.xlsx: unsupported input type/);
    await expect(openInput(join(dir, "missing.txt"))).rejects.toThrow(/missing\.txt: no such file/);
  });
});
