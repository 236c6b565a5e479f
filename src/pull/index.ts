export { pullModel, DEFAULT_PULL_TYPE, type PullModelOptions, type PullModelResult } from "./pull-model.js";
