import type { EndpointStats, TextModel } from "../types.js";

/** Per role, the endpoints of the models that are pools (a single-URL model has none to report). */
export type EndpointReport = Record<string, EndpointStats[]>;

/** The endpoint counts of every pooled model among `models`, by role; undefined when none is a pool. */
export function endpointReport(models: Record<string, TextModel | undefined>): EndpointReport | undefined {
  const report: EndpointReport = {};
  const seen = new Set<TextModel>();
  for (const [role, model] of Object.entries(models)) {
    // The same pool serving two roles is reported once, under the first.
    if (!model?.endpointStats || seen.has(model)) continue;
    seen.add(model);
    report[role] = model.endpointStats();
  }
  return Object.keys(report).length ? report : undefined;
}

/** One line per endpoint, for a run's closing log: requests, failures, ejections, and whether it is out now. */
export function describeEndpoints(report: EndpointReport): string[] {
  return Object.entries(report).flatMap(([role, endpoints]) =>
    endpoints.map((e) => `${role} ${e.baseUrl}: ${e.requests} requests, ${e.failures} failed, ${e.ejections} ejection${e.ejections === 1 ? "" : "s"}${e.admitted ? "" : " (out of the pool now)"}`),
  );
}
