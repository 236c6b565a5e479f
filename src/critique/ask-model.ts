import { AbortedError, errorRecord } from "../errors.js";
import type { GenerateRequest, TextModel, Usage } from "../model/types.js";

export type AskOutcome = { raw: string } | { error: ReturnType<typeof errorRecord> };

/**
 * One judge or refiner call: the reply's text, or why the generation failed as a record (the caller reports it,
 * never a pass). The reply's usage is added into `usage`. An abort is rethrown.
 */
export async function askModel(model: TextModel, request: GenerateRequest, usage: Usage): Promise<AskOutcome> {
  try {
    const reply = await model.generate(request);
    Object.assign(usage, reply.usage);
    return { raw: reply.text };
  } catch (error) {
    if (error instanceof AbortedError || request.signal?.aborted) throw new AbortedError();
    return { error: errorRecord(error) };
  }
}
