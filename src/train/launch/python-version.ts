/**
 * Python package versions (PEP 440) as pip reports them — "5.18.0", "1.10.0.dev0", "2.5.1+cu124", "0.9.6rc1" — and
 * the specifier syntax the engines pin with (">=4.55.0,<=5.8.0,!=4.57.0"). Only what those pins use is supported:
 * release numbers, pre-releases (a/b/rc), post and dev releases, and a local label, which orders nothing.
 */
export interface PythonVersion {
  text: string;
  release: number[];
  /** Where the version sits among the releases of its number: dev < a < b < rc < final < post. */
  phase: [rank: number, n: number];
  post: number;
  dev: number;
}

const PATTERN = /^v?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|rc|alpha|beta|c)[-_.]?(\d*))?(?:[-_.]?post[-_.]?(\d*))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+[\w.]+)?$/i;
const PRE_RANK: Record<string, number> = { a: 1, alpha: 1, b: 2, beta: 2, c: 3, rc: 3 };

export function parsePythonVersion(text: string): PythonVersion | undefined {
  const m = PATTERN.exec(text.trim());
  if (!m) return undefined;
  const [, release, pre, preN, post, dev] = m;
  const hasDev = dev !== undefined;
  // A bare dev release ("1.10.0.dev0") comes before every pre-release of 1.10.0; a final release ranks 4.
  const phase: [number, number] = pre ? [PRE_RANK[pre.toLowerCase()]!, Number(preN || 0)] : hasDev && post === undefined ? [0, 0] : [4, 0];
  return { text: text.trim(), release: release!.split(".").map(Number), phase, post: post === undefined ? -1 : Number(post || 0), dev: hasDev ? Number(dev || 0) : Infinity };
}

export function compareVersions(a: PythonVersion, b: PythonVersion): number {
  const length = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < length; i++) {
    const d = (a.release[i] ?? 0) - (b.release[i] ?? 0);
    if (d) return Math.sign(d);
  }
  for (const [x, y] of [
    [a.phase[0], b.phase[0]],
    [a.phase[1], b.phase[1]],
    [a.post, b.post],
    [a.dev, b.dev],
  ] as const) {
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

const CLAUSE = /^(>=|<=|==|!=|>|<)\s*(.+)$/;

/** Whether `version` satisfies every comma-separated clause of `specifier` (">=0.29.0", ">=4.55.0,<=5.8.0,!=5.6.0"). */
export function satisfies(version: PythonVersion, specifier: string): boolean {
  return specifier.split(",").every((raw) => {
    const clause = CLAUSE.exec(raw.trim());
    const bound = clause && parsePythonVersion(clause[2]!);
    if (!clause || !bound) throw new Error(`unsupported version specifier "${raw.trim()}"`);
    const c = compareVersions(version, bound);
    switch (clause[1]) {
      case ">=":
        return c >= 0;
      case "<=":
        return c <= 0;
      case ">":
        return c > 0;
      case "<":
        return c < 0;
      case "==":
        return c === 0;
      default:
        return c !== 0;
    }
  });
}
