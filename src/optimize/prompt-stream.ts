import { cleanPrompt } from "./clean.js";

/** Raw text shorter than this is not shown yet: a lead-in ("Here is the prompt: …") is decided within it. */
const MIN_RAW_CHARS = 160;
/** Words held back at the end: trailing chatter ("I hope this helps") and closing markup are decided within them. */
const HELD_WORDS = 6;

/**
 * Turns the raw text of a generation, as it grows, into deltas of the CLEANED prompt, so a streaming client sees
 * only text that output cleaning keeps. Cleaning looks at the whole reply, so the stream shows a stable prefix and
 * stops streaming (until `finish`) whenever the cleaned text stops extending what was shown.
 */
export class PromptStream {
  private shown = "";
  private stopped = false;

  /** `input` is what the model was asked to optimize (cleaning uses it to tell echoes from loops). */
  constructor(private readonly input: string) {}

  /** The raw reply so far → the new cleaned text to show now ("" when nothing is certain yet). */
  update(raw: string): string {
    if (this.stopped || raw.length < MIN_RAW_CHARS) return "";
    const cleaned = cleanPrompt(raw, { query: this.input });
    // Wrapping quotes, an open fence or markup at the start are removed only once the reply is complete: hold.
    if (!cleaned.ok || !/^[\p{L}\p{N}]/u.test(cleaned.prompt)) return "";
    const words = cleaned.prompt.split(" ");
    if (words.length <= HELD_WORDS) return "";
    const stable = words.slice(0, -HELD_WORDS).join(" ");
    if (!stable.startsWith(this.shown)) return this.stop();
    const delta = stable.slice(this.shown.length);
    this.shown = stable;
    return delta;
  }

  /**
   * The final prompt → the rest to show. `consistent` is false when what was shown is not a prefix of the final
   * prompt (cleaning rewrote text already shown); the final prompt is then authoritative.
   */
  finish(prompt: string): { delta: string; consistent: boolean } {
    if (!prompt.startsWith(this.shown)) return { delta: "", consistent: false };
    const delta = prompt.slice(this.shown.length);
    this.shown = prompt;
    return { delta, consistent: true };
  }

  private stop(): string {
    this.stopped = true;
    return "";
  }
}
