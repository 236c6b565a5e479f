import { readByteLines, type DecodedLine } from "../../util/byte-lines.js";
import { itemFromJson } from "./json-item.js";
import type { InputItem } from "./types.js";

/** .txt: one query a non-blank line. .jsonl: one JSON string or object a non-blank line. */
export async function* readTextLines(path: string, format: "txt" | "jsonl", column: string | undefined, progress: { bytes: number }, detoxifySeen?: Set<string>): AsyncGenerator<InputItem[]> {
  let index = 0;
  const toItem = (line: DecodedLine): InputItem | undefined => {
    if (line.truncated) return { index: index++, line: line.line, error: "line too long (over 8 MiB)", raw: line.text };
    if (!line.text.trim()) return undefined;
    const recoded = line.recoded ? { recoded: true } : {};
    if (format === "txt") return { index: index++, line: line.line, query: line.text, ...recoded };
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (error) {
      return { index: index++, line: line.line, error: `malformed JSON: ${(error as Error).message}`, raw: line.text.slice(0, 200) };
    }
    const item = itemFromJson(value, index++, column, line.line, detoxifySeen);
    return "query" in item ? { ...item, ...recoded } : { ...item, raw: line.text.slice(0, 200) };
  };
  for await (const batch of readByteLines(path, progress)) {
    const items: InputItem[] = [];
    for (const line of batch) {
      const item = toItem(line);
      if (item) items.push(item);
    }
    if (items.length) yield items;
  }
}
