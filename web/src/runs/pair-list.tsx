import { useState } from "preact/hooks";
import { Empty, ErrorNote, Loading } from "../shared/async-state";
import { useResource } from "../shared/use-resource";
import { ChecklistCompare } from "./checklist-compare";
import { Pager } from "./pager";
import { fetchChecklist, fetchPairs, PAIR_PAGE, videoUrl } from "./runs-api";
import { SearchForm } from "./search-form";
import type { Checklist, PairView, RunDetail } from "./types";
import { VideoPlayer } from "../shared/video-player";

/** A DPO run's pairs: text pairs with the judge's critique, video pairs with scores, videos and checklist answers. */
export function PairList({ run }: { run: RunDetail }) {
  const [query, setQuery] = useState<{ q?: string; source?: string; offset: number }>({ offset: 0 });
  const pairs = useResource(`pairs:${run.name}:${JSON.stringify(query)}`, (signal) => fetchPairs(run.name, query, signal), { pollMs: 3000, poll: run.active });
  const checklist = useResource("checklist", fetchChecklist);
  return (
    <div>
      <div class="card">
        <SearchForm label="Query contains" value={query.q ?? ""} onSearch={(q) => setQuery({ ...query, q, offset: 0 })}>
          <label>
            Source
            <select value={query.source ?? ""} onChange={(e) => setQuery({ ...query, source: e.currentTarget.value || undefined, offset: 0 })}>
              <option value="">text and video</option>
              <option value="text">text pairs</option>
              <option value="video">video pairs</option>
            </select>
          </label>
        </SearchForm>
      </div>
      {pairs.error !== undefined && <ErrorNote error={pairs.error} retry={pairs.reload} />}
      {!pairs.data && !pairs.error && <Loading what="pairs" />}
      {pairs.data && pairs.data.pairs.length === 0 && <Empty>No pairs {query.q || query.source ? "match" : "yet"}.</Empty>}
      <ol class="record-list">
        {pairs.data?.pairs.map((p, i) => <PairCard key={`${p.queryIndex}/${i}`} run={run.name} pair={p} checklist={checklist.data} />)}
      </ol>
      {pairs.data && (
        <Pager offset={query.offset} size={PAIR_PAGE} total={pairs.data.queries} what={`queries with pairs (${pairs.data.total} pairs)`} onChange={(offset) => setQuery({ ...query, offset })} />
      )}
    </div>
  );
}

function PairCard({ run, pair, checklist }: { run: string; pair: PairView; checklist: Checklist | undefined }) {
  const side = (which: "chosen" | "rejected") => (
    <div class={`pair-side pair-${which}`}>
      <h3>
        {which === "chosen" ? "Chosen" : "Rejected"}
        {pair.scores && <span class="score"> score {pair.scores[which].toFixed(3)}</span>}
      </h3>
      <p>{pair[which]}</p>
      {pair.videos?.[which] && <VideoPlayer src={videoUrl(run, pair.videos[which]!)} label={`${which} video`} />}
    </div>
  );
  return (
    <li class="card record pair" aria-label={`pair for query ${pair.queryIndex}`}>
      <p class="record-query">
        <span class={`badge badge-${pair.source === "text" ? "warn" : "info"}`}>{pair.source} pair</span> <span class="muted small-text">query {pair.queryIndex}</span>{" "}
        {pair.query}
        {pair.gap !== undefined && <span class="gap"> gap {pair.gap.toFixed(3)}</span>}
      </p>
      {pair.critique !== undefined && (
        <p class="critique">
          <strong>Critique:</strong> {pair.critique}
        </p>
      )}
      <div class="pair-sides">
        {side("chosen")}
        {side("rejected")}
      </div>
      {pair.answers && checklist && <ChecklistCompare checklist={checklist} query={pair.query} chosen={pair.answers.chosen} rejected={pair.answers.rejected} />}
    </li>
  );
}
