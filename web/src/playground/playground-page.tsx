/** The playground (issue 12, part 1): being built on branch `playground`. */
export function PlaygroundPage() {
  return <h1>Playground</h1>;
}
