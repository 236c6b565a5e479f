/** A small leveled logger: library code reports through it, never through console.log. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface LoggerOptions {
  level?: LogLevel;
  /** One JSON object a line instead of text. */
  json?: boolean;
  write?: (line: string) => void;
}

export function createLogger({ level = "info", json = false, write = (l) => process.stderr.write(l) }: LoggerOptions = {}): Logger {
  const emit = (at: Exclude<LogLevel, "silent">, message: string, fields?: Record<string, unknown>) => {
    if (order[at] < order[level]) return;
    if (json) {
      write(`${JSON.stringify({ level: at, time: new Date().toISOString(), message, ...fields })}\n`);
      return;
    }
    const extra = fields && Object.keys(fields).length ? ` ${Object.entries(fields).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" ")}` : "";
    write(`${at === "info" ? "" : `${at}: `}${message}${extra}\n`);
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}

export const silentLogger: Logger = createLogger({ level: "silent" });
