export { checkIntent, queryIntent, type IntentCheck, type IntentCheckOptions, type IntentItemStatus, type QueryIntent } from "./check-intent.js";
export { extractIntent, type IntentItem, type IntentKind } from "./intent-items.js";
export { parseQuery, type ParsedQuery, type ParseQueryOptions } from "./parse-query.js";
