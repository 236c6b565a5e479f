import { contentVersion } from "../util/stable-json.js";
import { VPO_TEMPLATE_TEXT, type PromptTemplate } from "../optimize/template.js";
import type { TargetProfile } from "./types.js";

const LANGUAGE_NAMES: Record<string, string> = { en: "English", zh: "Chinese", ja: "Japanese", ko: "Korean", de: "German", fr: "French", es: "Spanish" };
const languageName = (code: string) => LANGUAGE_NAMES[code] ?? code;

/** The length and style guide an instruction-following optimizer gets for a target (one paragraph). */
export function targetGuideText(profile: TargetProfile, budget: number): string {
  const [lo, hi] = profile.guide.words;
  return [
    `Write the prompt for ${profile.name}.`,
    `Length: ${lo}–${hi} words, and never more than ${budget} tokens of its text encoder (${profile.textEncoder.name}); longer prompts are cut off by the video model.`,
    `Style: ${profile.guide.style}`,
    // Which language to write in is --lang's decision; the guide only says what the model reads.
    `It reads ${profile.languages.map(languageName).join(" and ")} prompts; keep quoted and on-screen text in its own language.`,
  ].join("\n");
}

/** The VPO model contract, byte for byte, which a stock VPO model must get unchanged. */
export function isVpoContract(template: PromptTemplate): boolean {
  const messages = template.render("{}");
  return messages.length === 1 && messages[0]!.content === VPO_TEMPLATE_TEXT;
}

/**
 * `template` with the target's guide in its system turn; a new name and version, so records and caches tell the two
 * apart. Callers keep the VPO contract unchanged for stock VPO models (see isVpoContract).
 */
export function withTargetGuide(template: PromptTemplate, profile: TargetProfile, budget: number): PromptTemplate {
  const guide = targetGuideText(profile, budget);
  return {
    name: `${template.name}+${profile.id}`,
    version: contentVersion({ template: template.version, guide }),
    render(query) {
      const messages = template.render(query);
      const [first, ...rest] = messages;
      // A template with its own system turn keeps it, the guide after it; others get the guide as a new system turn.
      if (first?.role === "system") return [{ role: "system", content: `${first.content}\n\n${guide}` }, ...rest];
      return [{ role: "system", content: guide }, ...messages];
    },
  };
}
