export { checkIntent, queryIntent, withCaption, type IntentCheck, type IntentCheckOptions, type IntentItemReport, type IntentItemStatus, type QueryIntent } from "./check-intent.js";
export { type KeptBy } from "./lexicon/prompt-lexicon.js";
export { extractIntent, type IntentItem, type IntentKind } from "./intent-items.js";
export { parseQuery, type ParsedQuery, type ParseQueryOptions } from "./parse-query.js";
export { frameIntent, type FrameIntent, type FrameIntentReport } from "./frame-intent.js";
