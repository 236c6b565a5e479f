import type { TextModel } from "../model/types.js";
import type { Shot } from "../shots/shot.js";
import type { DroppedNegative, NegativeTerm } from "../terms/negative-prompt.js";
import type { ProtectedTerm, ProtectedTermReport } from "../terms/protected-terms.js";
import type { LanguageReport } from "./output-language.js";

/**
 * What shapes a prompt for its video model beyond the rewrite itself: protected terms, output language, negative
 * prompt and multi-shot structure. A target profile fills the `default*`, `target*` and `shot*` fields.
 */
export interface PromptShapeOptions {
  /** Terms the prompt must hold verbatim (`--keep`), on top of the automatic ones. */
  keep?: readonly string[];
  /** Protect quoted text, on-screen text, LoRA / embedding triggers and weighted style tags (default true). */
  protectTerms?: boolean;
  /** The whole protected list, found already (the guard passes it without the terms its screen flags). */
  protectedTerms?: readonly ProtectedTerm[];
  /** `en`, `zh`, any ISO 639-1 code, `same` (the query's language) or `auto` (default: targetLanguages[0], else en). */
  lang?: string;
  /** The target model's languages, primary first (TargetProfile.languages). */
  targetLanguages?: readonly string[];
  /** The target model's default negative prompt (TargetProfile.negativePrompt). */
  defaultNegative?: string;
  /** `compose` (default): the query's -neg terms and the default; `generate`: also terms the model lists for the scene. */
  negatives?: "compose" | "generate";
  /** The model that lists generated negative terms (default: the optimizer model). */
  negativesModel?: TextModel;
  /** Plan the prompt as N shots (structured output), joined in `shotSyntax`. */
  shots?: number;
  /** Per-shot template of the target's multi-shot syntax (TargetProfile.multiShot.syntax); default DEFAULT_SHOT_SYNTAX. */
  shotSyntax?: string;
  /** Between shots (default a line break). */
  shotSeparator?: string;
  /** The most shots the target takes (TargetProfile.multiShot.maxShots); more is a usage error. */
  maxShots?: number;
}

/** The fields shaping adds to a result. */
export interface ShapedFields {
  /** The negative prompt, terms joined with ", " (absent when there is none). */
  negativePrompt?: string;
  /** How the negative prompt was composed: each term's source, and the terms left out with the reason. */
  negative?: { terms: NegativeTerm[]; dropped: DroppedNegative[] };
  /** Each protected term and how the final prompt kept it. */
  protectedTerms?: ProtectedTermReport[];
  language?: LanguageReport;
  /** The shot plan `prompt` was joined from (`shots`). */
  shots?: Shot[];
}
