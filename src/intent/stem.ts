const S = 115;
const E = 101;
// b–z without the vowels: a doubled final consonant is undoubled ("running" → runn → run).
const isConsonant = (c: number) => c >= 98 && c <= 122 && c !== E && c !== 105 && c !== 111 && c !== 117;

/**
 * A light stemmer: enough to match "cats"/"cat", "running"/"run", "danced"/"dance" between query and prompt. Rules,
 * in order: -ies → -y, -ches/-shes/-xes/-sses/-zes lose "es", a final "s" goes (not after s, u or i); then -ing or
 * -ed goes; a doubled final consonant is undoubled; a final "e" goes. It runs on every word of every prompt, so it
 * reads character codes instead of matching regular expressions, and is quicker than a cache lookup.
 */
export function stem(word: string): string {
  let w = word.toLowerCase();
  let n = w.length;
  if (w.charCodeAt(n - 1) === S) {
    if (n > 4 && w.endsWith("ies")) {
      w = `${w.slice(0, -3)}y`;
      n -= 2;
    } else if (n > 4 && (w.endsWith("ches") || w.endsWith("shes") || w.endsWith("xes") || w.endsWith("sses") || w.endsWith("zes"))) {
      w = w.slice(0, -2);
      n -= 2;
    } else if (n > 3) {
      const before = w.charCodeAt(n - 2);
      if (before !== S && before !== 117 && before !== 105) w = w.slice(0, --n);
    }
  }
  if (n > 5 && w.endsWith("ing")) w = w.slice(0, (n -= 3));
  else if (n > 4 && w.charCodeAt(n - 2) === E && w.charCodeAt(n - 1) === 100) w = w.slice(0, (n -= 2));
  if (n > 3 && isConsonant(w.charCodeAt(n - 1)) && w.charCodeAt(n - 1) === w.charCodeAt(n - 2)) w = w.slice(0, --n);
  if (n > 3 && w.charCodeAt(n - 1) === E) w = w.slice(0, -1);
  return w;
}
