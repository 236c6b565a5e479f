import { RunList } from "./run-list";
import { RunView } from "./run-view";
import "./runs.css";

function segments(path: string): string[] | undefined {
  try {
    return path.split("/").filter(Boolean).slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/** /runs: the runs under `vpo serve --runs DIR`; /runs/NAME[/items|/pairs|/records]: one run. */
export function RunsPage({ path }: { path: string }) {
  const parts = segments(path) ?? [];
  if (parts.length === 0) return <RunList />;
  return <RunView name={parts[0]!} tab={parts[1] ?? "overview"} />;
}
