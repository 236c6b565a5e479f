import { stringify } from "yaml";

export type FlatValue = string | number | boolean | null;

/**
 * A number PyYAML reads back as a float: its YAML 1.1 resolver wants a dot and a signed exponent ("2.0e-6"), and reads
 * "2e-6" as a string. LLaMA-Factory (OmegaConf) and TRL (PyYAML) both load these configs.
 */
export function pyYamlNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`cannot write ${n} to YAML`);
  if (Number.isInteger(n) || (Math.abs(n) >= 1e-3 && Math.abs(n) < 1e15)) return String(n);
  const [mantissa, exponent] = n.toExponential().split("e") as [string, string];
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}e${exponent.startsWith("-") ? exponent : `+${exponent.replace("+", "")}`}`;
}

function scalar(value: FlatValue): string {
  if (typeof value === "number") return pyYamlNumber(value);
  return stringify(value).trimEnd();
}

/** A flat config in commented sections, the layout of LLaMA-Factory's and TRL's example YAML files. */
export function flatYaml(header: string[], sections: Record<string, Record<string, FlatValue | undefined>>): string {
  const lines = header.map((h) => `# ${h}`);
  for (const [title, entries] of Object.entries(sections)) {
    lines.push("", `### ${title}`);
    for (const [key, value] of Object.entries(entries)) if (value !== undefined) lines.push(`${key}: ${scalar(value)}`);
  }
  return `${lines.join("\n")}\n`;
}
