/** The run browser (issue 12, part 2): being built on branch `webdata`. */
export function RunsPage({ path }: { path: string }) {
  return <h1>Runs {path}</h1>;
}
