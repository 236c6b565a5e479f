import { useState } from "preact/hooks";
import { Empty, ErrorNote, Loading } from "../shared/async-state";
import { useResource } from "../shared/use-resource";
import { Pager } from "./pager";
import { fetchItems, PAGE_SIZE, type ItemQuery } from "./runs-api";
import { SearchForm } from "./search-form";
import type { ItemStatus, RunDetail } from "./types";

const STATUSES: ItemStatus[] = ["done", "failed", "running", "pending"];
const TONE: Record<ItemStatus, string> = { done: "ok", failed: "bad", running: "info", pending: "warn" };

/** A run's items with status and failure reason, filtered by stage, status and query text, a page at a time. */
export function ItemTable({ run }: { run: RunDetail }) {
  const [query, setQuery] = useState<ItemQuery>({ offset: 0 });
  const key = `items:${run.name}:${JSON.stringify(query)}`;
  const items = useResource(key, (signal) => fetchItems(run.name, query, signal), { pollMs: 2000, poll: run.active });
  const set = (patch: Partial<ItemQuery>) => setQuery({ ...query, offset: 0, ...patch });
  return (
    <div class="card">
      <SearchForm label="Query contains" value={query.q ?? ""} onSearch={(q) => set({ q })}>
        <label>
          Stage
          <select value={query.stage ?? ""} onChange={(e) => set({ stage: e.currentTarget.value || undefined })}>
            <option value="">all stages</option>
            {run.stages.map((s) => (
              <option key={s.stage} value={s.stage}>
                {s.stage}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={query.status ?? ""} onChange={(e) => set({ status: e.currentTarget.value || undefined })}>
            <option value="">any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </SearchForm>
      {items.error !== undefined && <ErrorNote error={items.error} retry={items.reload} />}
      {!items.data && !items.error && <Loading what="items" />}
      {items.data && items.data.items.length === 0 && <Empty>No items match.</Empty>}
      {items.data && items.data.items.length > 0 && (
        <div class="table-wrap">
          <table class="item-table">
            <thead>
              <tr>
                <th scope="col">query #</th>
                <th scope="col">stage</th>
                <th scope="col">key</th>
                <th scope="col">status</th>
                <th scope="col">query and prompt</th>
                <th scope="col">reason</th>
              </tr>
            </thead>
            <tbody>
              {items.data.items.map((item) => (
                <tr key={`${item.stage}/${item.key}`}>
                  <td>{item.queryIndex}</td>
                  <td class="mono">{item.stage}</td>
                  <td class="mono">{item.key}</td>
                  <td>
                    <span class={`badge badge-${TONE[item.status]}`}>{item.status}</span>
                    {item.attempts > 1 && <span class="muted small-text"> {item.attempts} tries</span>}
                  </td>
                  <td class="text-cell">
                    {item.query !== undefined && <div>{item.query}</div>}
                    {item.prompt !== undefined && <div class="muted small-text">{item.prompt}</div>}
                  </td>
                  <td class="text-cell">
                    {item.error && (
                      <>
                        <span class="mono small-text">
                          {item.error.step ? `${item.error.step} ` : ""}[{item.error.code}]
                        </span>{" "}
                        {item.error.message}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {items.data && <Pager offset={query.offset} size={PAGE_SIZE} total={items.data.total} what="items" onChange={(offset) => setQuery({ ...query, offset })} />}
    </div>
  );
}
