import type { TargetProfile } from "./types.js";

const any = (list: readonly (string | number)[]) => (list.length ? list.join(", ") : "any");

/** One row per profile, as `vpo targets` and the README show them. */
export function targetRows(profiles: readonly TargetProfile[]): string[][] {
  return profiles.map((p) => [
    p.id,
    p.name,
    `${p.textEncoder.name} (${p.textEncoder.tokenizer})`,
    String(p.textEncoder.maxTokens),
    p.languages.join(", "),
    `${p.guide.words[0]}–${p.guide.words[1]}`,
    p.negativePrompt ? "yes" : "—",
    any(p.aspectRatios),
    any(p.fps),
  ]);
}

export const TARGET_COLUMNS = ["id", "model", "text encoder", "tokens", "languages", "words", "negative", "aspect ratios", "fps"];

/** A Markdown table of the profiles. */
export function targetsMarkdown(profiles: readonly TargetProfile[]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(TARGET_COLUMNS), line(TARGET_COLUMNS.map(() => "---")), ...targetRows(profiles).map(line)].join("\n");
}
