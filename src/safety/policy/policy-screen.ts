import { InputError } from "../../errors.js";
import { compileLexicon, type CompiledLexicon } from "../safety-lexicon.js";
import { screenSafety, type SafetyMatch, type SafetyScreen } from "../screen-safety.js";
import type { SafetyPolicy } from "./safety-policy.js";

/** The policy's own terms as a lexicon, so they match through the same normalisation and obfuscation handling. */
function termLexicon(name: string, byCategory: Map<string, string[]>, source: string): CompiledLexicon | undefined {
  if (!byCategory.size) return undefined;
  const categories = Object.fromEntries([...byCategory].map(([id, terms]) => [id, { description: `${name} terms of ${source}`, terms }]));
  try {
    return compileLexicon({ name, version: "policy", groups: {}, categories }, source);
  } catch (error) {
    throw new InputError(`a ${name} term is not a valid pattern: ${(error as Error).message}`, source);
  }
}

const overlaps = (a: SafetyMatch, b: SafetyMatch) => a.start < b.end && b.start < a.end;

/**
 * A screen with the policy applied: matches inside an allow-term are dropped, categories switched off are not
 * reported, and block-terms flag as their category. Everything downstream (refuse, redaction, the final check)
 * then follows the policy without knowing about it.
 */
export function policyScreen(policy: SafetyPolicy, base: SafetyScreen): SafetyScreen {
  const allow = termLexicon("allow", new Map(policy.allow.length ? [["allow", policy.allow]] : []), policy.source);
  const blockMap = new Map<string, string[]>();
  for (const { term, category } of policy.block) blockMap.set(category, [...(blockMap.get(category) ?? []), term]);
  const block = termLexicon("block", blockMap, policy.source);
  return (text) => {
    const screened = base(text);
    const allowed = allow ? screenSafety(text, allow).matches : [];
    const blocked = block ? screenSafety(text, block).matches : [];
    let kept = (screened.matches ?? []).filter((m) => !policy.off.has(m.category) && !allowed.some((a) => overlaps(a, m)));
    // Context matches ("child" beside a sexual term) only count while the term they qualify still does.
    if (!kept.some((m) => !m.context)) kept = [];
    const matches = [...kept, ...blocked.filter((m) => !policy.off.has(m.category))].sort((a, b) => a.start - b.start);
    const categories = [...new Set(matches.map((m) => m.category))];
    return { flagged: categories.length > 0, categories, matches };
  };
}
