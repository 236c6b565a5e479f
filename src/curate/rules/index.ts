export { curateConfigSchema, ruleConfigSchema, defaultCurateConfig, loadCurateConfig, type CurateConfig, type RuleConfig } from "./config.js";
export { createRuleFilter, loadLanguageDetector, RULE_REASONS, type RuleFilter, type RuleReason, type RuleVerdict, type LanguageDetector } from "./rule-filter.js";
export { DEFAULT_CHATTER_PATTERNS, DEFAULT_NON_VIDEO_KEYWORDS } from "./defaults.js";
