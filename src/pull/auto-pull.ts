import { env } from "../config.js";
import { findDefaultModel } from "../model/default-model.js";
import type { ModelSpec } from "../model/open-model.js";

/**
 * Whether a run should pull the default VPO model before opening it: asked for (`pull`, or VPO_AUTO_PULL=1), no
 * model or server named, and none in the cache yet (later runs start from the cache).
 */
export function shouldPullDefaultModel(spec: Pick<ModelSpec, "model" | "baseUrl">, pull = false): boolean {
  return (pull || env.autoPull()) && !spec.model && !spec.baseUrl && !findDefaultModel();
}
