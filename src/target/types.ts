/**
 * A target profile: what one text-to-video model needs from a prompt. Every fact is cited in `sources` with the
 * field it backs (`fact` is the field's path, e.g. "textEncoder.maxTokens"), so a reader can check it.
 * Profiles ship as data (data/targets/*.json); users add their own with --targets-file.
 */
export type TokenizerKind = "t5" | "umt5" | "llama" | "clip" | "qwen" | "gemma" | "byt5" | "other";

export interface TextEncoder {
  /** The encoder as its model card names it, e.g. "google/t5-v1_1-xxl". */
  name: string;
  tokenizer: TokenizerKind;
  /** Tokens the pipeline passes to the encoder; more are truncated (or refused) by the video model. */
  maxTokens: number;
}

export interface TargetSource {
  /** The profile field this backs ("textEncoder.maxTokens", "negativePrompt", "fps", ...). */
  fact: string;
  /** Where it was read: the model's own repository, config or docs. */
  url: string;
  /** The words read there, verbatim (trimmed; "..." / "…" mark omissions), when short enough to quote. */
  quote?: string;
  /** How the fact follows from what was read, or what was found when the repository does not say it. */
  note?: string;
}

export interface TargetProfile {
  /** Lower-case id used by --target, e.g. "wan2.1". */
  id: string;
  name: string;
  /** Other names --target accepts (case-insensitive). */
  aliases: string[];
  textEncoder: TextEncoder;
  /** ISO 639-1 codes of the languages the model was trained on; the first is its primary language. */
  languages: string[];
  /** The length and style the prompt should have: `words` is [min, max] English words. */
  guide: { words: [number, number]; style: string };
  /** The model's own default negative prompt, verbatim, when its repository ships one. */
  negativePrompt?: string;
  /** Supported aspect ratios, "W:H"; empty when the model takes any (a -ar flag then passes through). */
  aspectRatios: string[];
  /** Supported sizes, "WxH", when the repository lists them. */
  resolutions?: string[];
  /** Supported frame rates (frames per second); empty when the model takes any. */
  fps: number[];
  /** For models that take multi-shot prompts: how shots are joined and how many it takes. */
  multiShot?: { syntax: string; maxShots: number };
  sources: TargetSource[];
}
