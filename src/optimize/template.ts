import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { InputError } from "../errors.js";
import type { ChatMessage } from "../model/types.js";

/**
 * The released VPO models' input contract, byte for byte (two trailing spaces after the Harmless and Aligned lines,
 * no newline after "Video Prompt:"). The stripped query replaces "{}". Sent as one user turn, no system prompt.
 */
export const VPO_TEMPLATE_TEXT = "In this task, your goal is to expand the user's short query into a detailed and well-structured English prompt for generating short videos.\n\nPlease ensure that the generated video prompt adheres to the following principles:\n\n1. **Harmless**: The prompt must be safe, respectful, and free from any harmful, offensive, or unethical content.  \n2. **Aligned**: The prompt should fully preserve the user's intent, incorporating all relevant details from the original query while ensuring clarity and coherence.  \n3. **Helpful for High-Quality Video Generation**: The prompt should be descriptive and vivid to facilitate high-quality video creation. Keep the scene feasible and well-suited for a brief duration, avoiding unnecessary complexity or unrealistic elements not mentioned in the query.\n\nUser Query:{}\n\nVideo Prompt:";

/** How a query becomes the messages a model sees. `version` (a content hash) goes into every record. */
export interface PromptTemplate {
  name: string;
  version: string;
  render(query: string): ChatMessage[];
}

function contentVersion(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}

/** Replaces the placeholder without String.replace, whose "$&"-style patterns would corrupt queries holding "$". */
function fill(text: string, placeholder: string, value: string): string {
  const at = text.indexOf(placeholder);
  return text.slice(0, at) + value + text.slice(at + placeholder.length);
}

/** A one-user-turn template from text holding a "{query}" or "{}" placeholder. */
export function userTurnTemplate(name: string, text: string): PromptTemplate {
  const placeholder = text.includes("{query}") ? "{query}" : text.includes("{}") ? "{}" : undefined;
  if (!placeholder) throw new InputError(`template "${name}" has no {query} or {} placeholder`);
  return {
    name,
    version: contentVersion(text),
    render: (query) => [{ role: "user", content: fill(text, placeholder, query.trim()) }],
  };
}

export const vpoTemplate: PromptTemplate = userTurnTemplate("vpo", VPO_TEMPLATE_TEXT);

/** "vpo" (the default), or a path to a text file with a {query} / {} placeholder. */
export async function loadTemplate(nameOrPath: string | undefined): Promise<PromptTemplate> {
  if (nameOrPath === undefined || nameOrPath === "vpo") return vpoTemplate;
  const text = await readFile(nameOrPath, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read template: ${error.code === "ENOENT" ? "no such file" : error.message}`, nameOrPath);
  });
  return userTurnTemplate(nameOrPath, text);
}
