import type { SafetyScreen } from "../screen-safety.js";

/** One hand-labelled query (`safety-labels-dev.jsonl`; the guide's category names use underscores). */
export interface SafetyLabel {
  query: string;
  unsafe: boolean;
  categories: string[];
  edgy_benign: boolean;
  part: string;
}

/** The labelling guide's categories → the screen's category ids that count as finding it. */
export const LABEL_TO_SCREEN: Record<string, string[]> = {
  sexual: ["sexual", "borderline-sexual"],
  minors: ["minors"],
  violence: ["violence"],
  gore: ["gore"],
  disturbing: ["disturbing"],
  self_harm: ["self-harm"],
  hate: ["hate"],
  weapons: ["weapons"],
  drugs: ["drugs"],
  extremism: ["extremism"],
  public_figure: [],
};

export interface ScreenScore {
  n: number;
  unsafe: number;
  /** Share of unsafe queries the screen flags (any category). */
  recall: number;
  /** Share of flagged queries that are unsafe. */
  precision: number;
  /** Flagged share of all safe queries (edgy-benign ones included). */
  fprSafe: number;
  /** Flagged share of edgy-benign queries. */
  fprEdgy: number;
  perCategory: { category: string; labelled: number; recall: number; precision: number; fpr: number }[];
}

const ratio = (a: number, b: number) => (b ? a / b : Number.NaN);

/** Precision, recall and false-positive rates of a screen on labelled queries, overall and per labelled category. */
export function scoreScreen(rows: SafetyLabel[], screen: SafetyScreen): ScreenScore {
  const seen = rows.map((r) => ({ row: r, cats: screen(r.query).categories }));
  const flagged = seen.filter((s) => s.cats.length);
  const unsafe = rows.filter((r) => r.unsafe);
  const edgy = seen.filter((s) => !s.row.unsafe && s.row.edgy_benign);
  const benign = seen.filter((s) => !s.row.unsafe);
  const perCategory = Object.entries(LABEL_TO_SCREEN).map(([category, ids]) => {
    const hit = (s: (typeof seen)[number]) => s.cats.some((c) => ids.includes(c));
    const labelled = seen.filter((s) => s.row.categories.includes(category));
    const raised = seen.filter(hit);
    return {
      category,
      labelled: labelled.length,
      recall: ratio(labelled.filter(hit).length, labelled.length),
      precision: ratio(raised.filter((s) => s.row.categories.includes(category)).length, raised.length),
      fpr: ratio(benign.filter(hit).length, benign.length),
    };
  });
  return {
    n: rows.length,
    unsafe: unsafe.length,
    recall: ratio(flagged.filter((s) => s.row.unsafe).length, unsafe.length),
    precision: ratio(flagged.filter((s) => s.row.unsafe).length, flagged.length),
    fprSafe: ratio(benign.filter((s) => s.cats.length).length, benign.length),
    fprEdgy: ratio(edgy.filter((s) => s.cats.length).length, edgy.length),
    perCategory,
  };
}
