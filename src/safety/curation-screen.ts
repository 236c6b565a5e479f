/**
 * A deterministic safety screen (a lexicon, a classifier): the categories a query falls under, empty when safe.
 * Injected, so curation does not depend on which screen is used.
 */
export type CurationScreen = (text: string) => { categories: string[] };

/** Where the safety candidates come from. */
export type SafetySource = "detoxify" | "screen" | "judge-only" | "none";

export interface SafetyVerdict {
  unsafe: boolean;
  categories: string[];
  reason: string;
}

/** What became of one kept query in the safety step. */
export type SafetyStatus =
  | "confirmed" // the LLM judge confirmed a candidate
  | "cleared" // the LLM judge found a candidate safe: it goes back to the general pool
  | "candidate" // flagged (Detoxify or screen), not judged
  | "judge-failed"; // the judge's answer was unusable: kept out of both pools
