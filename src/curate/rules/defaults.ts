/**
 * Requests that are not for a video: text tasks pasted into the video box, and keyboard mashing. Matched as whole
 * words, case-insensitively. Kept short on purpose: a phrase here must be wrong in a video prompt nearly always.
 */
export const DEFAULT_NON_VIDEO_KEYWORDS = [
  "write a poem",
  "write an essay",
  "write a story",
  "write a song",
  "write a letter",
  "write an email",
  "write code",
  "write a function",
  "write a program",
  "python code",
  "javascript code",
  "sql query",
  "translate this",
  "translate to",
  "translate into",
  "summarize",
  "summarise",
  "answer the question",
  "what is the capital",
  "solve the equation",
  "give me a list",
  "lorem ipsum",
  "asdf",
  "qwerty",
];

/**
 * Text an LLM wraps around its answer ("Sure, here's…", "As an AI…", "I hope this helps"): a query holding it was
 * pasted from a chatbot rather than typed by a person. Case-insensitive regular expressions.
 */
export const DEFAULT_CHATTER_PATTERNS = [
  String.raw`^(?:sure|certainly|absolutely|of course|okay|ok)\b[,!.]?\s*(?:here(?:'s|’s| is| are)|i(?:'d|’d| would| can| will| have)\b)`,
  String.raw`^here(?:'s|’s| is| are) (?:a|an|the|your|some)\b.{0,80}\b(?:prompt|description|version|script|scene)s?\b\s*:`,
  String.raw`\bas an ai\b|\bas an? (?:large )?language model\b`,
  String.raw`\bi (?:can(?:no|'|’)t|am unable to|'m unable to|’m unable to|won(?:'|’)t be able to) (?:help|assist|create|generate|provide|fulfill)`,
  String.raw`\bi hope (?:this|these|that) (?:helps|works)\b`,
  String.raw`\blet me know if you(?:'d|’d| would)? (?:like|want|need)\b`,
  String.raw`\bfeel free to (?:ask|adjust|let me know)\b`,
];
