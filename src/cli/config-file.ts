import { readFileSync } from "node:fs";
import type { Command, Option } from "commander";
import { isMap, isScalar, LineCounter, parseDocument, type Node, type Pair } from "yaml";
import { InputError } from "../errors.js";

/**
 * Applies a YAML settings file to a command's options: its keys are the command's long flag names without "--"
 * (`judge-base-url: http://…`, `video-cmd: …`), optionally nested by prefix (`judge: {base-url: …}`). Flags given
 * on the command line win over the file; the file wins over defaults. Unknown keys and bad values are errors that
 * name the file and line.
 */
export function applyConfigFile(command: Command, path: string): void {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError((error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message, path);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new InputError(`not valid YAML: ${e.message.split("\n")[0]}`, path, e.linePos?.[0]?.line);
  }
  if (doc.contents === null) return;
  if (!isMap(doc.contents)) throw new InputError("expected a map of settings (flag-name: value)", path, 1);
  const lineOf = (node: Node | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : undefined);
  const byLong = new Map(command.options.filter((o) => o.long).map((o) => [o.long!.slice(2), o]));
  const visit = (pairs: Pair[], prefix: string) => {
    for (const pair of pairs) {
      const keyNode = pair.key as Node;
      const key = `${prefix}${String(isScalar(keyNode) ? keyNode.value : keyNode)}`;
      const valueNode = pair.value as Node | null;
      if (isMap(valueNode) && !byLong.has(key)) {
        visit(valueNode.items as Pair[], `${key}-`);
        continue;
      }
      const option = byLong.get(key);
      const line = lineOf(keyNode);
      if (!option || key === "config") throw new InputError(`unknown setting "${key}" (settings are the long flag names of \`vpo ${command.parent?.name() ? `${command.parent.name()} ` : ""}${command.name()}\`)`, path, line);
      const value = valueNode && isScalar(valueNode) ? valueNode.value : valueNode?.toJSON();
      setFromConfig(command, option, value, `${path}:${line}`);
    }
  };
  visit(doc.contents.items as Pair[], "");
}

function setFromConfig(command: Command, option: Option, value: unknown, where: string): void {
  const name = option.attributeName();
  const source = command.getOptionValueSource(name);
  if (source === "cli" || source === "env") return;
  let parsed: unknown = value;
  if (option.negate || (!option.required && !option.optional)) {
    if (typeof value !== "boolean") throw new InputError(`${where}: "${option.long!.slice(2)}" takes true or false, got ${JSON.stringify(value)}`);
    parsed = option.negate ? !value : value;
  } else {
    if (value === null || typeof value === "object") throw new InputError(`${where}: "${option.long!.slice(2)}" takes a single value, got ${JSON.stringify(value)}`);
    const raw = String(value);
    if (option.argChoices && !option.argChoices.includes(raw)) throw new InputError(`${where}: "${option.long!.slice(2)}" must be one of ${option.argChoices.join(", ")}, got "${raw}"`);
    try {
      parsed = option.parseArg ? option.parseArg(raw, undefined as never) : raw;
    } catch (error) {
      throw new InputError(`${where}: "${option.long!.slice(2)}": ${(error as Error).message}`);
    }
  }
  command.setOptionValueWithSource(name, parsed, "config");
}
