import { getJson } from "../shared/api";
import type { Checklist, ItemView, PairView, RunCharts, RunDetail, RunListEntry, SftView } from "./types";

const run = (name: string) => `/api/runs/${encodeURIComponent(name)}`;
const qs = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") search.set(k, String(v));
  const text = search.toString();
  return text ? `?${text}` : "";
};

export const PAGE_SIZE = 25;
export const PAIR_PAGE = 10;

export const fetchRuns = (signal: AbortSignal) => getJson<{ runs: RunListEntry[] }>("/api/runs", { signal });
export const fetchRun = (name: string, signal: AbortSignal) => getJson<RunDetail>(run(name), { signal });
export const fetchCharts = (name: string, signal: AbortSignal) => getJson<RunCharts>(`${run(name)}/charts`, { signal });
export const fetchChecklist = (signal: AbortSignal) => getJson<Checklist>("/api/checklist", { signal });

export interface ItemQuery {
  stage?: string;
  status?: string;
  q?: string;
  offset: number;
}

export const fetchItems = (name: string, query: ItemQuery, signal: AbortSignal) =>
  getJson<{ total: number; items: ItemView[] }>(`${run(name)}/items${qs({ ...query, limit: PAGE_SIZE })}`, { signal });

export const fetchSft = (name: string, query: { q?: string; offset: number }, signal: AbortSignal) =>
  getJson<{ total: number; records: SftView[] }>(`${run(name)}/sft${qs({ ...query, limit: PAGE_SIZE })}`, { signal });

export const fetchPairs = (name: string, query: { q?: string; source?: string; offset: number }, signal: AbortSignal) =>
  getJson<{ total: number; queries: number; pairs: PairView[] }>(`${run(name)}/pairs${qs({ ...query, limit: PAIR_PAGE })}`, { signal });

export const videoUrl = (name: string, file: string) => `${run(name)}/videos/${encodeURIComponent(file)}`;
