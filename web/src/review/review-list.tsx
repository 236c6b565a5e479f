import { ApiError } from "../shared/api";
import { Empty, ErrorNote, Loading } from "../shared/async-state";
import { onLinkClick } from "../shared/router";
import { useResource } from "../shared/use-resource";
import { fetchReviews } from "./review-api";

/** The review sets of the store `vpo serve --reviews STORE` serves. */
export function ReviewList() {
  const reviews = useResource("reviews", fetchReviews);
  return (
    <section aria-labelledby="reviews-title">
      <h1 id="reviews-title">Blind A/B review</h1>
      {reviews.error instanceof ApiError && reviews.error.status === 404 ? (
        <Empty>
          This server has no review store: start it with <code>vpo serve --reviews STORE</code> after <code>vpo review create --name NAME --a A.jsonl --b B.jsonl --store STORE</code>.
        </Empty>
      ) : (
        reviews.error !== undefined && <ErrorNote error={reviews.error} retry={reviews.reload} />
      )}
      {!reviews.data && !reviews.error && <Loading what="review sets" />}
      {reviews.data?.reviews.length === 0 && (
        <Empty>
          No review sets yet. Make one with <code>vpo review create --name NAME --a A.jsonl --b B.jsonl</code>.
        </Empty>
      )}
      <ul class="review-cards">
        {reviews.data?.reviews.map((r) => (
          <li key={r.name} class="card">
            <a class="review-name" href={`/review/${encodeURIComponent(r.name)}`} onClick={onLinkClick}>
              {r.name}
            </a>{" "}
            <span class="muted">{r.items} items · made {new Date(r.createdAt).toLocaleDateString()}</span>{" "}
            <a href={`/review/${encodeURIComponent(r.name)}/results`} onClick={onLinkClick}>
              results
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
