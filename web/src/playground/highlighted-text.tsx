import { locate, segments } from "./text-segments";
import type { SafetyMatch } from "./types";

/** Text with the safety screen's flagged spans marked; every piece is a text node, never markup. */
export function HighlightedText({ text, flagged, label }: { text: string; flagged: SafetyMatch[]; label?: string }) {
  const pieces = segments(text, locate(text, flagged.filter((m) => !m.context)));
  return (
    <span class="highlighted" aria-label={label}>
      {pieces.map((piece, i) =>
        piece.mark ? (
          <mark key={i} class="flagged" title={`flagged: ${piece.mark}`} data-category={piece.mark}>
            {piece.text}
          </mark>
        ) : (
          piece.text
        ),
      )}
    </span>
  );
}
