import { UsageError } from "../errors.js";
import type { Shot } from "./shot.js";

/**
 * vpo's own multi-shot syntax, for targets without one: one line per shot with its time span and camera, then what
 * it shows and what happens. Placeholders: {index} {start} {end} {duration} {camera} {description} {action}.
 */
export const DEFAULT_SHOT_SYNTAX = "Shot {index} ({start}-{end}s, camera: {camera}): {description} Action: {action}";
export const DEFAULT_SHOT_SEPARATOR = "\n";

const PLACEHOLDER = /\{(index|start|end|duration|camera|description|action)\}/g;

const seconds = (n: number) => String(Math.round(n * 10) / 10);
/** A field as a sentence, so "Action:" never runs on from an unfinished description. */
const sentence = (s: string) => (/[.!?。！？]["'”’)]*$/u.test(s.trim()) ? s.trim() : `${s.trim()}.`);

export interface JoinShotsOptions {
  /** A per-shot template with the placeholders above (a target's multi-shot syntax); default DEFAULT_SHOT_SYNTAX. */
  syntax?: string;
  /** Between shots (default a line break). */
  separator?: string;
}

/** The shots as one prompt in a target's multi-shot syntax, with start and end times summed from the durations. */
export function joinShots(shots: readonly Shot[], options: JoinShotsOptions = {}): string {
  const syntax = options.syntax ?? DEFAULT_SHOT_SYNTAX;
  if (!syntax.includes("{description}")) throw new UsageError(`a shot syntax needs a {description} placeholder, got "${syntax}"`);
  let start = 0;
  return shots
    .map((shot, i) => {
      const end = start + shot.duration;
      const values: Record<string, string> = {
        index: String(i + 1),
        start: seconds(start),
        end: seconds(end),
        duration: seconds(shot.duration),
        camera: shot.camera.trim().replace(/[.]+$/, ""),
        description: sentence(shot.description),
        action: sentence(shot.action),
      };
      start = end;
      return syntax.replace(PLACEHOLDER, (_, name: string) => values[name]!);
    })
    .join(options.separator ?? DEFAULT_SHOT_SEPARATOR);
}
