/**
 * A synthetic prompt log built from the real dev queries with the near-duplicates real logs are full of:
 * verbatim re-submissions, small edits (a word dropped, swapped or misspelt, case and punctuation changes),
 * added style tags, added generation flags, and combinations of those. Deterministic for a seed.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { seededRandom as rng } from "../src/util/random.js";

const STYLE_TAGS = ["cinematic", "4k", "8k", "highly detailed", "photorealistic", "hyper realistic", "trending on artstation", "anime style", "unreal engine", "dramatic lighting", "slow motion", "volumetric light", "masterpiece", "best quality", "studio ghibli style", "pixar style", "octane render", "film grain", "vintage", "cyberpunk"];
const FLAGS = ["-ar 16:9", "-ar 9:16", "-ar 1:1", "-motion 1", "-motion 2", "-motion 3", "-camera zoom in", "-camera pan left", "-camera rotate clockwise", "-fps 24", "-gs 12", "-seed 42", "-neg blurry, low quality, distorted", "-neg morphing, extra limbs"];

function smallEdit(query: string, random: () => number): string {
  const words = query.split(" ");
  const pick = () => Math.floor(random() * words.length);
  const r = random();
  if (words.length > 3 && r < 0.3) words.splice(pick(), 1);
  else if (words.length > 3 && r < 0.5) {
    const i = Math.min(pick(), words.length - 2);
    [words[i], words[i + 1]] = [words[i + 1]!, words[i]!];
  } else if (r < 0.7) {
    const i = pick();
    const w = words[i]!;
    if (w.length > 3) {
      const k = 1 + Math.floor(random() * (w.length - 2));
      words[i] = w.slice(0, k) + w.slice(k + 1);
    }
  } else if (r < 0.85) return random() < 0.5 ? query.toLowerCase() : `${query}${random() < 0.5 ? "." : "!"}`;
  else words.splice(pick(), 0, ["very", "a", "beautiful", "big", "small", "the"][Math.floor(random() * 6)]!);
  return words.join(" ");
}

function variant(base: string, random: () => number): string {
  const r = random();
  if (r < 0.25) return base;
  let q = base;
  if (r < 0.55 || random() < 0.3) q = smallEdit(q, random);
  if (r >= 0.55 && r < 0.8) {
    const n = 1 + Math.floor(random() * 4);
    const tags = Array.from({ length: n }, () => STYLE_TAGS[Math.floor(random() * STYLE_TAGS.length)]!);
    q = `${q}, ${tags.join(", ")}`;
  }
  if (r >= 0.8 || random() < 0.15) q = `${q} ${FLAGS[Math.floor(random() * FLAGS.length)]!}`;
  return q;
}

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Each query of the corpus in order: first every dev query once, then near-duplicates of random ones. */
export function* corpusQueries(dev: readonly string[], size: number, seed = 1): Generator<string> {
  const random = rng(seed);
  const bases = dev.map((q) => q.replace(/\s+/g, " ").trim());
  for (let i = 0; i < size; i++) {
    if (i < bases.length) yield bases[i]!;
    else yield variant(bases[Math.floor(random() * bases.length)]!, random);
  }
}

/** Writes the corpus as a VidProM-shaped CSV (uuid,prompt,time). */
export async function writeCorpusCsv(path: string, dev: readonly string[], size: number, seed = 1): Promise<void> {
  const out = createWriteStream(path);
  out.write("uuid,prompt,time\n");
  let i = 0;
  let chunk = "";
  for (const query of corpusQueries(dev, size, seed)) {
    const uuid = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    chunk += `${uuid},${csvField(query)},2024-0${1 + (i % 9)}-01 00:00:00\n`;
    i++;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}
