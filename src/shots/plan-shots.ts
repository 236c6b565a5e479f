import { AbortedError, errorRecord } from "../errors.js";
import { readJsonObjects } from "../model/reply-json.js";
import { addUsage, type ChatMessage, type TextModel, type Usage } from "../model/types.js";
import type { OutcomeError } from "../optimize/optimize.js";
import { shotPlanJsonSchema, shotPlanSchema, type Shot } from "./shot.js";

export interface PlanShotsOptions {
  /** Shots wanted (at least 2; at most the target's maxShots, checked by the caller). */
  count: number;
  /** Terms each of which must appear verbatim in some shot. */
  keep?: readonly string[];
  /** The language the shots are written in (ISO 639-1; default en). */
  language?: string;
  signal?: AbortSignal;
}

export type ShotPlan = { shots: Shot[] } | { error: OutcomeError };

function instructions(prompt: string, options: PlanShotsOptions): string {
  const keep = options.keep?.length ? `\nEach of these must appear exactly as written in some shot: ${options.keep.map((k) => JSON.stringify(k)).join(", ")}.` : "";
  const language = options.language && options.language !== "en" ? `\nWrite every field in the language with ISO 639-1 code "${options.language}".` : "";
  return `Split this video prompt into exactly ${options.count} consecutive shots of one short video. For each shot give:
- "description": what the shot shows (subjects, setting, light, style), vivid and concrete;
- "action": what happens during the shot;
- "camera": the framing and camera movement;
- "duration": its length in seconds (a number).
Keep every subject, count, style word and quoted text of the prompt; add nothing unsafe.${keep}${language}
Answer with JSON only: {"shots": [{"description": "…", "action": "…", "camera": "…", "duration": 2.5}, …]}

Video prompt:
${prompt}`;
}

/**
 * A multi-shot plan of a prompt from a model: structured output, validated (exactly `count` shots, each with a
 * description, action, camera and a duration of 0–60 s). An invalid reply is re-asked once with the validation
 * error; a second failure is reported, never patched. Throws only on abort.
 */
export async function planShots(model: TextModel, prompt: string, options: PlanShotsOptions, usage: Usage): Promise<ShotPlan> {
  const schema = shotPlanSchema(options.count);
  const messages: ChatMessage[] = [{ role: "user", content: instructions(prompt, options) }];
  let problem = "";
  let last = "";
  for (let attempt = 0; attempt < 2; attempt++) {
    let text: string;
    try {
      const answer = await model.generate({ messages, sampling: { temperature: 0.3, maxTokens: 300 + 250 * options.count }, jsonSchema: shotPlanJsonSchema(options.count), signal: options.signal });
      addUsage(usage, answer.usage);
      text = answer.text;
      last = text;
    } catch (error) {
      if (error instanceof AbortedError || options.signal?.aborted) throw new AbortedError();
      return { error: errorRecord(error) };
    }
    const objects = readJsonObjects(text);
    for (const object of objects) {
      const parsed = schema.safeParse(object);
      if (parsed.success) return { shots: parsed.data.shots };
      problem = parsed.error.issues.map((i) => `${i.path.join(".") || "reply"}: ${i.message}`).slice(0, 5).join("; ");
    }
    if (!objects.length) problem = "the reply held no JSON object";
    messages.push({ role: "assistant", content: text }, { role: "user", content: `That plan is not valid (${problem}). Answer again with JSON only, exactly ${options.count} shots, every field filled.` });
  }
  return { error: { code: "model-output", reason: "unparseable", message: `the shot plan was invalid twice: ${problem}`, raw: last.slice(0, 2000) } };
}
