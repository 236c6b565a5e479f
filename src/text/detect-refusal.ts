/**
 * Refusal detection for replies of general LLMs used as optimizers or judges ("I'm sorry, but I can't…", policy
 * boilerplate, "As an AI language model…"). Pure and fast; quoted speech inside a prompt ('a man says "I'm sorry"')
 * does not count.
 */
export interface RefusalCheck {
  refusal: boolean;
  /** "full": nothing usable; "with-alternative": declines, then offers a toned-down version. */
  kind?: "full" | "with-alternative";
  /** The phrase that gave it away. */
  matched?: string;
}

const CANT = String.raw`(?:can ?not|can't|cant|won't|will not|am unable to|'m unable to|am not able to|'m not able to|am not allowed to|'m not allowed to|must decline to|have to decline to|must refuse to|do not feel comfortable|don't feel comfortable|am not comfortable|'m not comfortable|shouldn't|should not)`;
const ACT = String.raw`(?:help|assist|create|generate|write|produce|provide|fulfil|fulfill|comply|do (?:that|this)|make|describe|depict|expand|continue|engage|support|participate|process|proceed|complete|rewrite|optimi[sz]e|evaluate|judge|with (?:that|this))`;

/** Phrases that open a refusal: they must start the reply or one of its first sentences. */
const OPENERS: RegExp[] = [
  /^(?:i'm|i am) (?:so |very |really |truly )?sorry\b/,
  /^(?:sorry|apologies|my apologies)\b[,.!]?/,
  /^i (?:do )?apologi[sz]e\b/,
  new RegExp(String.raw`^(?:unfortunately|regrettably|however|but)?,? ?i(?: really| simply| just)? ${CANT}\b(?: \w+){0,3} ?${ACT}`),
  /^(?:unfortunately|regrettably),? (?:i|this|that|your request)\b/,
  /^i'm afraid (?:i|that|this)\b/,
  /^i must (?:respectfully )?decline\b/,
  /^i(?: do not|'m not| am not| don't) (?:feel )?comfortable\b/,
  /^(?:lo siento|no puedo|je suis désolée?|je ne peux pas|es tut mir leid|ich kann (?:nicht|keine)|mi dispiace|desculpe|извините|к сожалению|抱歉|对不起|很抱歉|我不能|我无法|申し訳)/,
];

/** Phrases that give a refusal away wherever they appear. */
const ANYWHERE: RegExp[] = [
  /\bas an ai(?: language model| model| assistant|, i)\b/,
  /\b(?:against|violates?|violating|breach(?:es)?|in breach of|not in line with|contrary to) (?:my|the|our|openai's|anthropic's|google's|these|those|community|content|usage|safety|ethical)?(?: ?(?:content|usage|safety|community|ethical))? ?(?:polic(?:y|ies)|guidelines|standards|terms of (?:use|service))\b/,
  new RegExp(String.raw`\bi ${CANT} ${ACT} (?:with )?(?:that|this|your)? ?(?:request|content|query|prompt|topic|kind of|type of)`),
  /\b(?:i|we) (?:can ?not|can't|won't|will not|am unable to|'m unable to) (?:create|generate|produce|provide|write) (?:any |a |an )?(?:content|videos?|prompts?|descriptions?|material|images?)(?: \w+)? (?:that|which|involving|depicting|containing|of (?:this|that|a sexual|an explicit|a violent))/,
  /\b(?:this|your|the) (?:request|content|query|prompt|topic) (?:is|contains|involves|includes|goes against|violates|may violate|appears to (?:be|contain|involve)) (?:not appropriate|inappropriate|explicit|harmful|sensitive|offensive|unsafe|sexual|violent)/,
  /\bnot (?:able|allowed|permitted) to (?:create|generate|help|assist|provide|write|produce)\b/,
  /\blet's (?:keep (?:it|things|this) (?:respectful|appropriate|safe|family-friendly)|focus on something (?:else|positive|more appropriate))/,
];

const ALTERNATIVE = /\b(?:instead|alternatively|however|but)\b[^.]{0,80}\b(?:i|we) (?:can|could|would be happy to|'d be happy to)\b|\bhere(?:'s| is) (?:a|an) (?:safer|more appropriate|family-friendly|toned-down|tasteful|respectful|safe)\b/;

const QUOTED = /"[^"\n]{0,300}"|“[^”\n]{0,300}”|«[^»\n]{0,300}»/g;

const SENTENCE_END = /(?<=[.!?。！？:])\s+|\n+/g;

/** The first `limit` sentences, found one at a time (splitting a whole long reply to read three would waste it). */
function sentences(text: string, limit: number): string[] {
  const out: string[] = [];
  SENTENCE_END.lastIndex = 0;
  for (let at = 0; at >= 0 && out.length < limit; ) {
    const m = SENTENCE_END.exec(text);
    const s = text.slice(at, m ? m.index : undefined).replace(/^[\s*_>#"'`-]+/, "").trim();
    if (s) out.push(s);
    at = m ? m.index + m[0].length : -1;
  }
  return out;
}

export function detectRefusal(text: string): RefusalCheck {
  const lower = text
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/<(think|thinking|reasoning)>[\s\S]*?<\/\1>/g, " ")
    .replace(QUOTED, " ")
    .slice(0, 4000);
  let matched: string | undefined;
  for (const sentence of sentences(lower, 3)) {
    for (const re of OPENERS) {
      const m = re.exec(sentence);
      if (m) {
        matched = m[0];
        break;
      }
    }
    if (matched) break;
  }
  if (!matched) {
    for (const re of ANYWHERE) {
      const m = re.exec(lower);
      if (m) {
        matched = m[0];
        break;
      }
    }
  }
  if (!matched) return { refusal: false };
  const after = lower.slice(lower.indexOf(matched) + matched.length);
  const offersAlternative = ALTERNATIVE.test(lower) && after.split(/\s+/).filter(Boolean).length > 25;
  return { refusal: true, kind: offersAlternative ? "with-alternative" : "full", matched: matched.trim() };
}
