import { useState } from "preact/hooks";
import { Empty, ErrorNote, Loading } from "../shared/async-state";
import { useResource } from "../shared/use-resource";
import { Pager } from "./pager";
import { fetchSft, PAGE_SIZE } from "./runs-api";
import { SearchForm } from "./search-form";
import type { RunDetail, SftView } from "./types";

/** SFT records as the pipeline made them: query → teacher prompt → judge's critique → refined prompt. */
export function SftList({ run }: { run: RunDetail }) {
  const [query, setQuery] = useState<{ q?: string; offset: number }>({ offset: 0 });
  const records = useResource(`sft:${run.name}:${JSON.stringify(query)}`, (signal) => fetchSft(run.name, query, signal), { pollMs: 3000, poll: run.active });
  return (
    <div>
      <div class="card">
        <SearchForm label="Query contains" value={query.q ?? ""} onSearch={(q) => setQuery({ q, offset: 0 })} />
      </div>
      {records.error !== undefined && <ErrorNote error={records.error} retry={records.reload} />}
      {!records.data && !records.error && <Loading what="SFT records" />}
      {records.data && records.data.records.length === 0 && <Empty>No finished SFT records yet.</Empty>}
      <ol class="record-list">
        {records.data?.records.map((r) => <SftCard key={r.queryIndex} record={r} />)}
      </ol>
      {records.data && <Pager offset={query.offset} size={PAGE_SIZE} total={records.data.total} what="records" onChange={(offset) => setQuery({ ...query, offset })} />}
    </div>
  );
}

function SftCard({ record }: { record: SftView }) {
  return (
    <li class="card record">
      <p class="record-query">
        <span class="muted small-text">query {record.queryIndex}</span> {record.query}
      </p>
      <div class="flow">
        <div class="flow-step">
          <h3>Teacher prompt</h3>
          <p>{record.teacherPrompt}</p>
        </div>
        <div class="flow-step">
          <h3>
            Critique <span class={`badge badge-${record.category === "aligned" ? "ok" : "bad"}`}>{record.category}</span>
          </h3>
          <p>{record.critique || <span class="muted">nothing to fix</span>}</p>
        </div>
        <div class="flow-step">
          <h3>{record.refined ? "Refined prompt (training target)" : "Kept as the training target"}</h3>
          <p>{record.refined ? record.prompt : <span class="muted">the teacher prompt, unchanged</span>}</p>
        </div>
      </div>
    </li>
  );
}
