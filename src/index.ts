/** vpo: aligned video prompt optimization. The public library API; every CLI command is a shell over these. */
export * from "./errors.js";
export { env, type GpuSetting } from "./config.js";
export { createLogger, silentLogger, type Logger, type LogLevel } from "./util/logger.js";
export * from "./model/index.js";
export * from "./optimize/index.js";
export * from "./batch/index.js";
export * from "./checks/index.js";
export * from "./principles/index.js";
export * from "./eval/index.js";
export * from "./convert/index.js";
export * from "./hub/index.js";
export * from "./train/index.js";
export * from "./curate/index.js";
export * from "./store/index.js";
export * from "./exec/index.js";
export * from "./video/index.js";
export * from "./reward/index.js";
export * from "./pipeline/index.js";
