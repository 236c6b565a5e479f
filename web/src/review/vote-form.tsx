import { useEffect, useRef, useState } from "preact/hooks";
import { ErrorNote, Loading } from "../shared/async-state";
import { useResource } from "../shared/use-resource";
import { VideoPlayer } from "../shared/video-player";
import { sendVotes, showItem, sideVideoUrl } from "./review-api";
import { QUESTIONS, type Progress, type QuestionId, type ShownChoice } from "./types";

const CHOICES: { value: ShownChoice; label: string; key: string }[] = [
  { value: "A", label: "A is better", key: "A" },
  { value: "tie", label: "Tie", key: "T" },
  { value: "B", label: "B is better", key: "B" },
];

/** Keys typed into a text field are text, not shortcuts (radio buttons and buttons are not text fields). */
const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ["TEXTAREA", "SELECT"].includes(target.tagName) || (target instanceof HTMLInputElement && !["radio", "checkbox", "button", "submit"].includes(target.type)));

/**
 * One item, blind: the query, sides A and B in this reviewer's recorded order, and the three questions. Keys: A, T
 * and B answer the current question and move to the next; 1–3 pick a question; Enter saves; ← goes back an item.
 */
export function VoteForm(props: { name: string; reviewer: string; position: number; progress: Progress; onVoted: (p: Progress) => void; onMove: (position: number) => void }) {
  const { name, reviewer, position, progress } = props;
  const item = useResource(`item:${name}:${reviewer}:${position}`, () => showItem(name, reviewer, position));
  const [answers, setAnswers] = useState<Partial<Record<QuestionId, ShownChoice>>>({});
  const [current, setCurrent] = useState(0);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>();
  // Keys can come faster than renders: the handlers read and write these, the state only mirrors them for display.
  const answersRef = useRef(answers);
  const currentRef = useRef(0);
  const savingRef = useRef(false);
  const propsRef = useRef(props);
  propsRef.current = props;

  useEffect(() => {
    if (!item.data) return;
    answersRef.current = item.data.votes;
    setAnswers(item.data.votes);
  }, [item.data]);

  const moveTo = (index: number) => {
    currentRef.current = index;
    setCurrent(index);
  };
  const answer = (index: number, value: ShownChoice) => {
    answersRef.current = { ...answersRef.current, [QUESTIONS[index]!.id]: value };
    setAnswers(answersRef.current);
    moveTo(Math.min(QUESTIONS.length - 1, index + 1));
  };
  const complete = (a: Partial<Record<QuestionId, ShownChoice>>) => QUESTIONS.every((q) => a[q.id] !== undefined);
  const save = async () => {
    const chosen = answersRef.current;
    if (!complete(chosen) || savingRef.current) return;
    savingRef.current = true;
    setSaving(true);
    setError(undefined);
    try {
      propsRef.current.onVoted(await sendVotes(name, reviewer, position, chosen as Record<QuestionId, ShownChoice>));
    } catch (e) {
      setError(e);
      savingRef.current = false;
      setSaving(false);
    }
  };
  const loaded = item.data !== undefined;

  useEffect(() => {
    if (!loaded) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      const key = event.key.toUpperCase();
      const choice = CHOICES.find((c) => c.key === key);
      if (choice) answer(currentRef.current, choice.value);
      else if (["1", "2", "3"].includes(key)) moveTo(Number(key) - 1);
      else if (key === "ENTER" && !(event.target instanceof HTMLButtonElement)) void save();
      else if (key === "ARROWLEFT" && position > 0) propsRef.current.onMove(position - 1);
      else return;
      event.preventDefault();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [loaded]);

  if (item.error !== undefined) return <ErrorNote error={item.error} retry={item.reload} />;
  if (!item.data) return <Loading what={`item ${position + 1}`} />;
  const shown = item.data;
  return (
    <form
      class="vote-form"
      aria-label={`item ${position + 1} of ${shown.total}`}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <div class="vote-progress">
        <span>
          Item <strong>{position + 1}</strong> of {shown.total} · {progress.done} answered · reviewing as <strong>{reviewer}</strong>
        </span>
        <progress max={progress.total} value={progress.done} aria-label="items answered" />
      </div>
      <div class="card">
        <p class="muted small-text">User query</p>
        <p class="review-query">{shown.query}</p>
      </div>
      <div class="sides">
        {shown.sides.map((side) => (
          <section key={side.label} class="card side" aria-label={`side ${side.label}`}>
            <h2 class="side-label">{side.label}</h2>
            {side.video && <VideoPlayer src={sideVideoUrl(name, reviewer, position, side.label)} label={`video ${side.label}`} />}
            <p class="side-prompt">{side.prompt}</p>
          </section>
        ))}
      </div>
      <div class="card questions">
        {QUESTIONS.map((q, i) => (
          <fieldset key={q.id} class={`question${i === current ? " current" : ""}`} onFocusCapture={() => moveTo(i)}>
            <legend>
              <kbd>{i + 1}</kbd> {q.title} <span class="muted small-text">{q.help}</span>
            </legend>
            <div class="choices" role="radiogroup" aria-label={q.title}>
              {CHOICES.map((c) => (
                <label key={c.value} class={`choice${answers[q.id] === c.value ? " chosen" : ""}`}>
                  <input type="radio" name={q.id} value={c.value} checked={answers[q.id] === c.value} onChange={() => answer(i, c.value)} />
                  {c.label} <kbd>{c.key}</kbd>
                </label>
              ))}
            </div>
          </fieldset>
        ))}
        <div class="row vote-actions">
          <button type="button" class="secondary" disabled={position === 0} onClick={() => props.onMove(position - 1)}>
            ← Previous item
          </button>
          <button type="submit" disabled={!complete(answers) || saving}>
            {saving ? "Saving…" : "Save and next"} <kbd>Enter</kbd>
          </button>
        </div>
        <p class="muted small-text">
          Keys: <kbd>A</kbd> <kbd>T</kbd> <kbd>B</kbd> answer the highlighted question and move on · <kbd>1</kbd>–<kbd>3</kbd> pick a question · <kbd>Enter</kbd> saves ·{" "}
          <kbd>←</kbd> previous item
        </p>
        {error !== undefined && <ErrorNote error={error} />}
      </div>
    </form>
  );
}
