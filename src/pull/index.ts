export { pullModel, DEFAULT_PULL_TYPE, type PullModelOptions, type PullModelResult } from "./pull-model.js";
export { shouldPullDefaultModel } from "./auto-pull.js";
export { verifyVpoConversion, readVerifyTexts, VPO_VERIFY_TEXTS, VPO_LOGITS_PROMPT, type VpoVerifyOptions } from "./verify-vpo-conversion.js";
