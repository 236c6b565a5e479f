import type { ServerInfo } from "./types";

/** Which models answer: the optimizer, and the judge when the server has one. */
export function ModelInfo({ info }: { info: ServerInfo }) {
  return (
    <p class="model-info small-print" aria-label="Models">
      <span class="chip">
        <b>optimizer</b> {info.model.id} <span class="muted">({info.model.backend})</span>
      </span>{" "}
      <span class="chip">
        <b>judge</b> {info.judge ? info.judge.id : <span class="muted">none (deterministic checks only)</span>}
      </span>{" "}
      <span class="chip">
        <b>template</b> {info.template.name}
      </span>
    </p>
  );
}
