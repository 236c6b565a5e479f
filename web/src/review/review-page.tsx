import { ReviewList } from "./review-list";
import { ReviewResults } from "./review-results";
import { ReviewSession } from "./review-session";
import "./review.css";

function segments(path: string): string[] {
  try {
    return path.split("/").filter(Boolean).slice(1).map(decodeURIComponent);
  } catch {
    return [];
  }
}

/** /review: the review sets; /review/NAME: vote (blind); /review/NAME/results: win rates with intervals. */
export function ReviewPage({ path }: { path: string }) {
  const [name, view] = segments(path);
  if (!name) return <ReviewList />;
  if (view === "results") return <ReviewResults name={name} />;
  return <ReviewSession name={name} />;
}
