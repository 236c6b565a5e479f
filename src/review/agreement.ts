/**
 * Agreement between reviewers on categorical votes (a / b / tie). Each item lists the votes of the reviewers who
 * rated it; items with fewer than two votes say nothing about agreement and are left out.
 */
export interface Agreement {
  /** Items rated by two or more reviewers. */
  items: number;
  /** Mean share of agreeing reviewer pairs per item (Fleiss' P̄; for two reviewers, the share of items they agree on). */
  raw: number;
  /** Fleiss' kappa (with a varying number of raters per item); undefined when chance agreement is 1 (one category only). */
  fleissKappa?: number;
  /** Cohen's kappa, when exactly two reviewers took part. */
  cohenKappa?: number;
}

export function agreement<C extends string>(itemVotes: Map<string, C>[], categories: readonly C[]): Agreement | undefined {
  const rated = itemVotes.filter((votes) => votes.size >= 2);
  if (rated.length === 0) return undefined;
  let sumP = 0;
  let totalVotes = 0;
  const perCategory = new Map<C, number>(categories.map((c) => [c, 0]));
  for (const votes of rated) {
    const n = votes.size;
    const counts = new Map<C, number>();
    for (const c of votes.values()) counts.set(c, (counts.get(c) ?? 0) + 1);
    let agreeing = 0;
    for (const [c, k] of counts) {
      agreeing += k * (k - 1);
      perCategory.set(c, (perCategory.get(c) ?? 0) + k);
    }
    sumP += agreeing / (n * (n - 1));
    totalVotes += n;
  }
  const raw = sumP / rated.length;
  const chance = [...perCategory.values()].reduce((s, k) => s + (k / totalVotes) ** 2, 0);
  const reviewers = new Set(rated.flatMap((votes) => [...votes.keys()]));
  const result: Agreement = { items: rated.length, raw, ...(chance < 1 ? { fleissKappa: (raw - chance) / (1 - chance) } : {}) };
  if (reviewers.size === 2) {
    const cohen = cohenKappa(rated, [...reviewers] as [string, string], categories);
    if (cohen !== undefined) result.cohenKappa = cohen;
  }
  return result;
}

/** Cohen's kappa of two reviewers over the items both rated: (p_o − p_e) / (1 − p_e), p_e from each one's own shares. */
function cohenKappa<C extends string>(items: Map<string, C>[], [r1, r2]: [string, string], categories: readonly C[]): number | undefined {
  const both = items.filter((v) => v.has(r1) && v.has(r2));
  const n = both.length;
  const observed = both.filter((v) => v.get(r1) === v.get(r2)).length / n;
  const share = (r: string, c: C) => both.filter((v) => v.get(r) === c).length / n;
  const expected = categories.reduce((s, c) => s + share(r1, c) * share(r2, c), 0);
  return expected < 1 ? (observed - expected) / (1 - expected) : undefined;
}
