import { createReadStream } from "node:fs";
import { JSONParser, TokenType } from "@streamparser/json";
import { itemFromJson } from "./json-item.js";
import type { InputItem } from "./types.js";

/**
 * A JSON array of strings or objects, parsed as a stream: each element is handed over and forgotten, so memory
 * stays flat however long the array. A syntax error ends the readable part: it becomes one malformed row saying
 * where, and the rows before it are kept.
 */
export async function* readJsonArray(path: string, column: string | undefined, progress: { bytes: number }, detoxifySeen?: Set<string>): AsyncGenerator<InputItem[]> {
  let index = 0;
  let items: InputItem[] = [];
  let failure: string | undefined;
  const parser = new JSONParser({ paths: ["$.*"], keepStack: false });
  let topLevelChecked = false;
  parser.onToken = ({ token, value, offset }) => {
    if (!topLevelChecked) {
      topLevelChecked = true;
      if (token !== TokenType.LEFT_BRACKET) throw new Error(`expected a JSON array, found ${JSON.stringify(value)} at byte ${offset}`);
    }
  };
  parser.onValue = ({ value, stack }) => {
    if (stack.length === 1) items.push(itemFromJson(value, index++, column, undefined, detoxifySeen));
  };
  parser.onError = (error) => {
    failure ??= error.message;
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    progress.bytes += chunk.length;
    if (failure) break;
    try {
      parser.write(chunk);
    } catch (error) {
      failure ??= (error as Error).message;
    }
    if (items.length) {
      yield items;
      items = [];
    }
  }
  if (!failure && !parser.isEnded) {
    try {
      parser.end();
    } catch (error) {
      failure = (error as Error).message;
    }
  }
  if (items.length) yield items;
  if (failure) yield [{ index: index++, error: `invalid JSON, the rest of the file could not be read: ${failure}` }];
}
