import { ErrorNote, Loading } from "../shared/async-state";
import { onLinkClick } from "../shared/router";
import { useResource } from "../shared/use-resource";
import { ItemTable } from "./item-table";
import { PairList } from "./pair-list";
import { RunOverview } from "./run-overview";
import { fetchRun } from "./runs-api";
import { SftList } from "./sft-list";
import { StatusBadge } from "./stage-bar";

const POLL_MS = 2000;

/** One run: a tab bar (overview, items, and pairs or SFT records), refreshed every 2 s while the run is going. */
export function RunView({ name, tab }: { name: string; tab: string }) {
  const detail = useResource(`run:${name}`, (signal) => fetchRun(name, signal), { pollMs: POLL_MS, poll: (d) => d.active });
  const run = detail.data;
  const base = `/runs/${encodeURIComponent(name)}`;
  const tabs = [
    { id: "overview", label: "Overview" },
    { id: "items", label: "Items" },
    ...(run?.pipeline === "sft" ? [{ id: "records", label: "SFT records" }] : [{ id: "pairs", label: "Pairs" }]),
  ];
  const live = run?.active ?? false;
  return (
    <section aria-labelledby="run-title">
      <p class="crumbs">
        <a href="/runs" onClick={onLinkClick}>
          Runs
        </a>{" "}
        /
      </p>
      <div class="run-title-row">
        <h1 id="run-title">{name}</h1>
        {run && <span class="badge badge-info">{run.pipeline}</span>}
        {run && <StatusBadge active={run.active} outcome={run.lastOutcome} />}
        {live && (
          <span class="muted small-text" role="status">
            live: refreshing every {POLL_MS / 1000} s
          </span>
        )}
      </div>
      <nav class="tabs" aria-label="Run views">
        {tabs.map((t) => (
          <a key={t.id} href={t.id === "overview" ? base : `${base}/${t.id}`} onClick={onLinkClick} aria-current={tab === t.id ? "page" : undefined}>
            {t.label}
          </a>
        ))}
      </nav>
      {detail.error !== undefined && <ErrorNote error={detail.error} retry={detail.reload} />}
      {!run && !detail.error && <Loading what="the run" />}
      {run && tab === "overview" && <RunOverview run={run} />}
      {run && tab === "items" && <ItemTable run={run} />}
      {run && tab === "pairs" && <PairList run={run} />}
      {run && tab === "records" && <SftList run={run} />}
    </section>
  );
}
