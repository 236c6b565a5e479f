export { pullModel, DEFAULT_PULL_TYPE, type PullModelOptions, type PullModelResult } from "./pull-model.js";
export { shouldPullDefaultModel } from "./auto-pull.js";
