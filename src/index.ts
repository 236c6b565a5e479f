/** vpo: aligned video prompt optimization. The public library API; every CLI command is a shell over these. */
export * from "./errors.js";
export { env, type GpuSetting } from "./config.js";
export { createLogger, silentLogger, type Logger, type LogLevel } from "./util/logger.js";
export * from "./model/index.js";
export * from "./optimize/index.js";
export * from "./batch/index.js";
export * from "./curate/index.js";
