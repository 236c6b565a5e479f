import type { QueryFlags, QueryReading } from "./types";

const LABELS: [keyof Omit<QueryFlags, "other" | "warnings" | "onScreenText">, string][] = [
  ["aspectRatio", "aspect ratio"],
  ["negativePrompt", "negative prompt"],
  ["camera", "camera"],
  ["motion", "motion"],
  ["fps", "fps"],
  ["seed", "seed"],
  ["guidanceScale", "guidance scale"],
];

/** The query's flags as typed chips (what a video tool reads as settings), flagged terms and how flags were read. */
export function FlagChips({ reading }: { reading: QueryReading }) {
  const { flags, safety } = reading;
  const chips: { name: string; value: string }[] = [];
  for (const [key, label] of LABELS) if (flags[key] !== undefined) chips.push({ name: label, value: String(flags[key]) });
  if (flags.onScreenText) chips.push({ name: "on-screen text", value: flags.onScreenText.text });
  for (const [name, value] of Object.entries(flags.other)) chips.push({ name: `-${name}`, value: value || "on" });
  const unsafe = safety.matches.filter((m) => !m.context);
  if (!chips.length && !unsafe.length && !flags.warnings?.length) return <p class="muted small-print">No flags. Try <code>-ar 16:9 -neg blurry -camera zoom in</code>.</p>;
  return (
    <ul class="chips" aria-label="Flags read from the query">
      {chips.map((chip) => (
        <li key={chip.name} class="chip" data-testid="flag-chip">
          <b>{chip.name}</b> {chip.value}
        </li>
      ))}
      {unsafe.map((m) => (
        <li key={`${m.start}-${m.term}`} class="chip chip-unsafe">
          <b>{m.category}</b> {m.text}
        </li>
      ))}
      {flags.warnings?.map((w) => (
        <li key={w} class="chip chip-note">
          {w}
        </li>
      ))}
    </ul>
  );
}
