import { createLogger, type Logger } from "../util/logger.js";

/** Global flags every command shares. */
export interface GlobalFlags {
  verbose?: boolean;
  quiet?: boolean;
  logJson?: boolean;
}

export function loggerFor(flags: GlobalFlags): Logger {
  return createLogger({ level: flags.verbose ? "debug" : flags.quiet ? "warn" : "info", json: flags.logJson });
}
