/** The paper's three human-evaluation questions (Sec. 5, Fig. 3), in the order reviewers answer them. */
export const REVIEW_QUESTIONS = [
  { id: "instruction", title: "Instruction following", help: "Which video (or prompt) adheres better to the user query?" },
  { id: "quality", title: "Video quality", help: "Which video is better: coherence, stability, adherence to physics?" },
  { id: "overall", title: "Overall preference", help: "A holistic judgment based on instruction following and video quality." },
] as const;

export type QuestionId = (typeof REVIEW_QUESTIONS)[number]["id"];
export const QUESTION_IDS: QuestionId[] = REVIEW_QUESTIONS.map((q) => q.id);

/** A vote in the reviewer's terms: the side shown first ("A"), second ("B"), or a tie. */
export type ShownChoice = "A" | "B" | "tie";
/** A vote in the systems' terms after un-blinding: the --a system, the --b system, or a tie. */
export type SystemChoice = "a" | "b" | "tie";

/** A review set's name: one URL segment (/review/NAME). */
export const REVIEW_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
