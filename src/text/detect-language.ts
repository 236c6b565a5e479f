/** What language a text is in, as far as it can be told. */
export interface LanguageGuess {
  /** ISO 639-1 code ("en", "zh", …). */
  language: string;
  /** False when the text was too short or too mixed to tell, and `language` is the script's default guess. */
  reliable: boolean;
}

type Detector = { detect(text: string): { language: string; isReliable(): boolean; getScores(): Record<string, number> } };

let detector: Promise<Detector> | undefined;

/**
 * eld's "small" n-gram table: 1.6 MB, about 0.4 s and 60 MB of heap to load on these machines, then a few
 * microseconds a query. Loaded on first use, once per process, so a caller that never asks about language never
 * pays for it.
 */
function loadDetector(): Promise<Detector> {
  detector ??= import("eld/small").then((m) => m.eld);
  return detector;
}

/** Scripts whose letters alone name a language family, with the language a text in that script most likely is. */
const SCRIPTS: { name: string; pattern: RegExp; language: string; languages: string[] }[] = [
  { name: "Hangul", pattern: /\p{Script=Hangul}/gu, language: "ko", languages: ["ko"] },
  { name: "Kana", pattern: /[\p{Script=Hiragana}\p{Script=Katakana}]/gu, language: "ja", languages: ["ja"] },
  { name: "Han", pattern: /\p{Script=Han}/gu, language: "zh", languages: ["zh", "ja"] },
  { name: "Cyrillic", pattern: /\p{Script=Cyrillic}/gu, language: "ru", languages: ["ru", "uk", "bg", "be", "mk", "sr", "kk", "ky", "mn", "tg"] },
  { name: "Arabic", pattern: /\p{Script=Arabic}/gu, language: "ar", languages: ["ar", "fa", "ur", "ps", "ku"] },
  { name: "Devanagari", pattern: /\p{Script=Devanagari}/gu, language: "hi", languages: ["hi", "mr", "ne", "sa"] },
  { name: "Thai", pattern: /\p{Script=Thai}/gu, language: "th", languages: ["th"] },
  { name: "Greek", pattern: /\p{Script=Greek}/gu, language: "el", languages: ["el"] },
  { name: "Hebrew", pattern: /\p{Script=Hebrew}/gu, language: "he", languages: ["he", "yi"] },
];

/** The script most of a text's letters are in ("Latin" when no other script dominates), or undefined without letters. */
export function dominantScript(text: string): string | undefined {
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  if (!letters) return undefined;
  let best = { name: "Latin", count: (text.match(/\p{Script=Latin}/gu) ?? []).length };
  // Japanese mixes kana into Han text: a few kana make it Japanese, not Chinese.
  const kana = (text.match(SCRIPTS[1]!.pattern) ?? []).length;
  if (kana && kana * 10 >= letters) return "Kana";
  for (const s of SCRIPTS) {
    const count = (text.match(s.pattern) ?? []).length;
    if (count > best.count) best = { name: s.name, count };
  }
  return best.name;
}

/** The script a language is written in ("Latin" for every language not listed). */
export function scriptOfLanguage(language: string): string {
  return SCRIPTS.find((s) => s.languages.includes(language))?.name ?? "Latin";
}

/** eld scores within this ratio of the top one are a toss-up between related languages, not a verdict. */
const NEAR_TIE = 0.9;

/**
 * The language of a text, detected with eld. On short or mixed text eld is unreliable ("dog" reads as Danish); the
 * guess then falls back to the script: the main language of a non-Latin script, and English for Latin letters,
 * by far the most common language of text-to-video queries.
 */
export async function detectLanguage(text: string): Promise<LanguageGuess> {
  const script = dominantScript(text);
  if (!script) return { language: "en", reliable: false };
  const eld = await loadDetector();
  const result = eld.detect(text);
  const fallback = script === "Latin" ? "en" : (SCRIPTS.find((s) => s.name === script)?.language ?? "en");
  if (!result.language || !result.isReliable()) return { language: fallback, reliable: false };
  // eld must agree with the script: Han text without kana that eld calls Japanese is more likely Chinese.
  if (scriptOfLanguage(result.language) !== script) return { language: fallback, reliable: false };
  // On short Latin text eld's scores for English and its neighbours are close ("a panda eating funny bamboo" reads
  // as Italian by 0.01): a near tie goes to English, the language of almost every real query.
  const scores = result.getScores();
  if (script === "Latin" && result.language !== "en" && (scores.en ?? 0) >= (scores[result.language] ?? 0) * NEAR_TIE) return { language: "en", reliable: false };
  return { language: result.language, reliable: true };
}

/** Text shorter than this (in letters) is not judged by n-grams: one sentence in a Latin script is the least. */
const MIN_LETTERS_FOR_NGRAMS = 40;

/**
 * Whether a text is written in `language`. A different script decides at once; within the same script eld decides
 * only on long enough text and only when it is sure, so a short English prompt is never sent back as "Italian".
 */
export async function isInLanguage(text: string, language: string): Promise<boolean> {
  const script = dominantScript(text);
  if (!script) return true;
  const expected = scriptOfLanguage(language);
  if (script !== expected && !(language === "ja" && script === "Han")) return false;
  if (script !== "Latin" && script !== "Cyrillic" && script !== "Arabic") return true;
  if ((text.match(/\p{L}/gu) ?? []).length < MIN_LETTERS_FOR_NGRAMS) return true;
  const eld = await loadDetector();
  const result = eld.detect(text);
  if (!result.isReliable() || !result.language || result.language === language) return true;
  const scores = result.getScores();
  const own = scores[language] ?? 0;
  const top = scores[result.language] ?? 0;
  return own >= top * NEAR_TIE;
}
