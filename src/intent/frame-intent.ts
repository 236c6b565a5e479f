import { extractIntent, type IntentItem } from "./intent-items.js";
import { keepItem } from "./keep-item.js";
import { PromptWords } from "./prompt-words.js";

/**
 * What the first frame of an image-to-video request shows, as its caption says: a prompt for such a video describes
 * what happens from the frame, so a query item the frame already shows need not be repeated, and what only the
 * frame shows is never required of the prompt.
 */
export interface FrameIntent {
  caption: string;
  /** The caption's own items that the query does not name (reported as not required). */
  frameOnly: IntentItem[];
  words: PromptWords;
}

/** What the intent check says about the frame: the query items the frame shows, and the frame's items not required. */
export interface FrameIntentReport {
  caption: string;
  /** Query items missing from the prompt but shown by the frame (counted as kept). */
  shownByFrame: string[];
  /** Items of the caption that are not in the query: the prompt need not name them. */
  notRequired: string[];
}

/** The frame's side of the intent check, for a query whose flag-free text is `queryText`. */
export function frameIntent(caption: string, queryText: string): FrameIntent {
  const queryWords = new PromptWords(queryText);
  const frameOnly = extractIntent(caption).items.filter((item) => item.kind !== "negative" && keepItem(item, queryWords).status !== "kept");
  return { caption, frameOnly, words: new PromptWords(caption) };
}

/** Whether the frame shows a query item the prompt lost (negations are the prompt's own business). */
export function shownByFrame(frame: FrameIntent, item: IntentItem): boolean {
  return item.kind !== "negative" && keepItem(item, frame.words).status === "kept";
}
