import type { ChatMessage, Usage } from "../../model/types.js";

/** Three-level verdict: Qwen3Guard's own scale; two-level classifiers answer only safe or unsafe. */
export type SafetyLevel = "safe" | "controversial" | "unsafe";
export const SAFETY_LEVELS: SafetyLevel[] = ["safe", "controversial", "unsafe"];

export type ClassifierFormat = "qwen3guard" | "llamaguard3" | "shieldgemma";
export const CLASSIFIER_FORMATS: ClassifierFormat[] = ["qwen3guard", "llamaguard3", "shieldgemma"];

/**
 * Who writes the classifier's instructions. `instructions` (default): vpo puts the model card's instruction text,
 * category list included, in the user turn, which is what a llama.cpp chat wrapper or a plain chat server needs.
 * `chat-template`: the text is sent alone and the server's copy of the model's chat template adds them (vLLM and
 * Ollama serve these models that way); sending the instructions too would wrap them twice.
 */
export type ClassifierPromptStyle = "instructions" | "chat-template";

/** One request a format makes for one text (ShieldGemma asks once per harm policy). */
export interface ClassifierRequest {
  messages: ChatMessage[];
  /** GBNF for the reply, applied by the in-process backend (random-weight test models included). */
  grammar: string;
  maxTokens: number;
  /** The harm policy this request asks about, when the format asks one at a time. */
  policy?: string;
}

export interface ClassifierVerdict {
  level: SafetyLevel;
  /** vpo category ids (see CLASSIFIER_CATEGORY_MAPS). */
  categories: string[];
  /** The model's own labels, as it wrote them ("Violent", "S1", "Dangerous Content"). */
  labels: string[];
  /** P(unsafe) when the backend returned token probabilities; absent otherwise. */
  probability?: number;
}

/** One format: how to ask, and how to read the answer. */
export interface ClassifierFormatSpec {
  name: ClassifierFormat;
  requests(text: string, style: ClassifierPromptStyle): ClassifierRequest[];
  /** Reads the replies (one per request, same order); throws ModelOutputError on anything but the documented format. */
  parse(replies: string[], requests: ClassifierRequest[]): ClassifierVerdict;
}

export interface ClassifyResult {
  status: "ok" | "failed";
  format: ClassifierFormat;
  /** The classifier model's id (server-side name or GGUF file name). */
  model: string;
  verdict?: ClassifierVerdict;
  /** Why there is no verdict: an unreadable or refused reply, or a backend failure. Never read as safe. */
  error?: { code: string; message: string };
  replies: string[];
  usage: Usage;
}
