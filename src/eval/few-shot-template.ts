import { userTurnTemplate, type PromptTemplate } from "../optimize/template.js";

/**
 * The baseline optimizer of `vpo eval alignment --baseline-…`: a general instruction-following LLM given a few-shot
 * instruction, the way most products expand video prompts today (the paper's "GPT-4o / GLM-4 Few-Shot" rows).
 * Written for vpo; the examples are ours.
 */
export const FEW_SHOT_TEMPLATE_TEXT = `You expand short user queries into detailed prompts for a text-to-video model that makes clips of about five seconds. Write one vivid paragraph in English that describes the subject, its appearance and motion, the setting, the lighting and the camera. Keep every element of the query. Reply with the prompt only.

Query: a cat playing piano
Prompt: A fluffy ginger cat sits on a polished wooden bench and presses the keys of a grand piano with its front paws, ears twitching at each note. Warm lamplight fills the cozy living room, and the camera slowly pushes in on the cat's focused face.

Query: 3 kids flying kites on a beach -ar 16:9
Prompt: Three children run along a wide sandy beach on a breezy afternoon, each holding the string of a bright kite, red, yellow and blue, that dips and soars against a clear sky. Waves roll in behind them as the camera tracks alongside at their height.

Query: neon sign saying "OPEN" in the rain, cinematic
Prompt: A flickering red neon sign spelling "OPEN" hangs above a diner door on a rainy night, its glow reflected in the puddles on the pavement. Raindrops streak through the light as the camera holds a cinematic low angle with shallow depth of field.

Query: {query}
Prompt:`;

export const fewShotTemplate: PromptTemplate = userTurnTemplate("few-shot", FEW_SHOT_TEMPLATE_TEXT);
