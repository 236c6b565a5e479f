import { UsageError } from "../errors.js";

/** A user's shell command with {name} placeholders that vpo fills with shell-escaped values. */
export interface CommandTemplate {
  /** The flag it came from, for error messages (e.g. "--video-cmd"). */
  flag: string;
  text: string;
  placeholders: ReadonlySet<string>;
}

/** POSIX single-quote escaping: the value reaches the command as one literal word, whatever it holds. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const PLACEHOLDER = /\{([a-z_]+)\}/g;

export function parseCommandTemplate(flag: string, text: string, { allowed, required }: { allowed: string[]; required: string[] }): CommandTemplate {
  if (!text.trim()) throw new UsageError(`${flag} is empty`);
  const placeholders = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    if (!allowed.includes(name)) throw new UsageError(`${flag}: unknown placeholder {${name}} (available: ${allowed.map((a) => `{${a}}`).join(", ")})`);
    placeholders.add(name);
  }
  for (const name of required) if (!placeholders.has(name)) throw new UsageError(`${flag} must contain {${name}}`);
  const quoted = /(['"])\{([a-z_]+)\}\1/.exec(text);
  if (quoted) throw new UsageError(`${flag}: write {${quoted[2]}} without quotes; vpo shell-escapes every placeholder itself`);
  return { flag, text, placeholders };
}

/** The command line with every placeholder replaced by its shell-quoted value. */
export function renderCommand(template: CommandTemplate, values: Record<string, string | number>): string {
  return template.text.replace(PLACEHOLDER, (_all, name: string) => {
    const value = values[name];
    if (value === undefined) throw new UsageError(`${template.flag}: no value for {${name}}`);
    return shellQuote(String(value));
  });
}
