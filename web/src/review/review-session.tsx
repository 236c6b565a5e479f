import { useState } from "preact/hooks";
import { ErrorNote, Loading } from "../shared/async-state";
import { onLinkClick } from "../shared/router";
import { useResource } from "../shared/use-resource";
import { fetchReview, joinReview, savedReviewer, saveReviewer } from "./review-api";
import type { Progress } from "./types";
import { VoteForm } from "./vote-form";

/** A reviewer's session: their name first, then the items from the first one they have not answered. */
export function ReviewSession({ name }: { name: string }) {
  const review = useResource(`review:${name}`, (signal) => fetchReview(name, signal));
  const [progress, setProgress] = useState<Progress | undefined>();
  const [position, setPosition] = useState<number | null>(null);
  const results = `/review/${encodeURIComponent(name)}/results`;
  return (
    <section aria-labelledby="review-title">
      <div class="review-head">
        <h1 id="review-title">Review {name}</h1>
        <a href={results} onClick={onLinkClick}>
          Results
        </a>
      </div>
      {review.error !== undefined && <ErrorNote error={review.error} retry={review.reload} />}
      {!review.data && !review.error && <Loading what="the review" />}
      {review.data && !progress && (
        <JoinForm
          name={name}
          items={review.data.items}
          onJoined={(p) => {
            setProgress(p);
            setPosition(p.next);
          }}
        />
      )}
      {progress && position !== null && (
        <VoteForm
          key={`${progress.reviewer}:${position}`}
          name={name}
          reviewer={progress.reviewer}
          position={position}
          progress={progress}
          onVoted={(p) => {
            setProgress(p);
            setPosition(p.next);
          }}
          onMove={setPosition}
        />
      )}
      {progress && position === null && (
        <div class="card done-card" role="status">
          <h2>All {progress.total} items answered — thank you, {progress.reviewer}.</h2>
          <p>
            Your votes are saved. See the <a href={results} onClick={onLinkClick}>results</a>, or{" "}
            <button type="button" class="secondary small" onClick={() => setPosition(0)}>
              look through your answers again
            </button>
          </p>
        </div>
      )}
    </section>
  );
}

function JoinForm({ name, items, onJoined }: { name: string; items: number; onJoined: (p: Progress) => void }) {
  const [reviewer, setReviewer] = useState(savedReviewer());
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="card join-form"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setError(undefined);
        try {
          const progress = await joinReview(name, reviewer);
          saveReviewer(progress.reviewer);
          onJoined(progress);
        } catch (e) {
          setError(e);
        } finally {
          setBusy(false);
        }
      }}
    >
      <p>
        {items} items. Each shows a query and two outputs, <strong>A</strong> and <strong>B</strong>, in an order drawn for you; you will not be told which
        system made which. Your votes are saved as you go, so you can stop and continue later under the same name.
      </p>
      <label>
        Your name
        <input value={reviewer} onInput={(e) => setReviewer(e.currentTarget.value)} required maxLength={64} autocomplete="nickname" autoFocus />
      </label>
      <button type="submit" disabled={busy || reviewer.trim() === ""}>
        Start reviewing
      </button>
      {error !== undefined && <ErrorNote error={error} />}
    </form>
  );
}
