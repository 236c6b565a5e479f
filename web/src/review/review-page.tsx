/** Blind A/B review (issue 12, part 3): being built on branch `webdata`. */
export function ReviewPage({ path }: { path: string }) {
  return <h1>Review {path}</h1>;
}
