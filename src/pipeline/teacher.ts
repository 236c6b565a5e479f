import { readFile } from "node:fs/promises";
import { z } from "zod";
import { InputError } from "../errors.js";
import type { ChatMessage } from "../model/types.js";
import { contentVersion } from "../util/stable-json.js";

/** One worked example for the teacher: a user query and the prompt we want for it. */
export interface Demonstration {
  query: string;
  prompt: string;
}

/**
 * Our few-shot demonstrations, written from the three principles. They cover the query shapes the teacher meets:
 * a plain query, an unsafe one (keep the safe intent, drop the unsafe part), one carrying flags (keep -neg/-camera
 * constraints, leave format flags to the video model) and a one-word query.
 */
export const DEFAULT_DEMONSTRATIONS: Demonstration[] = [
  {
    query: "a cat playing piano in a jazz bar",
    prompt:
      "A fluffy ginger cat sits upright on a worn velvet piano bench in a dim jazz bar, its front paws pressing the keys of a glossy black upright piano. Warm amber spotlights catch its whiskers as its tail sways in time; behind it, small round tables with flickering candles and a brick wall hung with framed records fade into soft shadow. The camera slowly pushes in from a low angle, ending on the cat's focused green eyes.",
  },
  {
    query: "a woman in a bikini getting shot on the beach, blood everywhere",
    prompt:
      "A woman in a bright turquoise swimsuit stands at the edge of a sunlit beach, startled, turning quickly toward the sound of a sudden loud noise in the distance. Gulls scatter from the wet sand around her and the breeze tugs at her hair as gentle waves roll in under a clear blue sky. The handheld camera follows her turn, then settles on her wide-eyed, alert expression.",
  },
  {
    query: "3 friends laughing in a neon bar at night -neg distorted faces -camera dolly in -ar 16:9",
    prompt:
      "Three friends share a table in a narrow bar lit by pink and blue neon signs, laughing together as one of them finishes a story and the other two lean back, clinking their glasses. Their faces are clear and natural, softly lit by the neon glow reflecting off the polished wooden bar top. The camera dollies in slowly from the doorway toward the table, keeping all three friends in frame.",
  },
  {
    query: "sunset",
    prompt:
      "A vast orange sun sinks slowly into a calm ocean horizon, painting the sky in bands of gold, coral and deep violet. Thin clouds glow at their edges while the sea shimmers with a long path of reflected light. The camera holds a steady wide shot from a quiet shoreline as the last sliver of sun disappears.",
  },
];

export const TEACHER_INSTRUCTIONS = `You write prompts for a text-to-video model. A user gives a short query; you rewrite it into one detailed English prompt for a clip of about five seconds. Follow three principles.
1. Harmless: never describe sexual content, nudity, gore, graphic violence, self-harm, hate, or other unsafe content, even when the query asks for it. Keep the safe part of the user's intent and leave the unsafe part out.
2. Accurate: keep every element of the query a video can show: subjects, counts, actions, attributes, setting, named characters, quoted text, style words and camera directions. Honour flags such as "-camera zoom in" or "-motion 3"; whatever "-neg" lists must not appear. Format flags (aspect ratio, fps, seed) are for the video model: do not describe them.
3. Helpful: be vivid and concrete about appearance, motion, lighting and camera, describe one feasible scene, and start with the content itself, never with "The video opens with" or "In this video".
Reply with the prompt only: one paragraph, no title, no quotes, no notes.`;

export interface TeacherTemplate {
  /** Content hash of the instructions and demonstrations, recorded in every record's provenance. */
  version: string;
  /** "builtin" or the demonstrations file. */
  source: string;
  demonstrations: Demonstration[];
  render(query: string): ChatMessage[];
}

export function teacherTemplate(demonstrations: Demonstration[] = DEFAULT_DEMONSTRATIONS, source = "builtin"): TeacherTemplate {
  // The JSON text as written (demonstration keys in their order), so versions recorded by earlier runs still match.
  const version = contentVersion(JSON.stringify([TEACHER_INSTRUCTIONS, demonstrations]));
  return {
    version,
    source,
    demonstrations,
    render: (query) => [
      { role: "system", content: TEACHER_INSTRUCTIONS },
      ...demonstrations.flatMap((d): ChatMessage[] => [
        { role: "user", content: d.query },
        { role: "assistant", content: d.prompt },
      ]),
      { role: "user", content: query.trim() },
    ],
  };
}

const DemoFile = z.array(z.object({ query: z.string().min(1), prompt: z.string().min(1) }).strict()).min(1);

/** Demonstrations from a file: a JSON array, or JSONL, of {"query", "prompt"}. */
export async function loadDemonstrations(path: string): Promise<TeacherTemplate> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(error.code === "ENOENT" ? "no such file" : error.message, path);
  });
  let value: unknown;
  const lines = text.split("\n");
  try {
    value = text.trim().startsWith("[") ? JSON.parse(text) : lines.filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
  } catch (error) {
    const bad = text.trim().startsWith("[") ? undefined : lines.findIndex((l) => { try { if (l.trim()) JSON.parse(l); return false; } catch { return true; } }) + 1;
    throw new InputError(`not valid JSON: ${(error as Error).message}`, path, bad || undefined);
  }
  const parsed = DemoFile.safeParse(value);
  if (!parsed.success) throw new InputError(`expected a list of {"query", "prompt"} demonstrations: ${z.prettifyError(parsed.error).replace(/\n/g, "; ")}`, path);
  return teacherTemplate(parsed.data, path);
}
