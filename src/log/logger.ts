/** The daemon's own log levels, least severe first. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
/** A level of the daemon's own log, chosen with `--log-level`. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Extra structured fields on one log line; `time`, `level` and `msg` are reserved. */
export type LogFields = Record<string, unknown>;

/**
 * Writes JSON lines `{"time","level","msg",...fields}`; calls below the logger's level cost one comparison.
 * `child(fields)` returns a logger that adds `fields` to every line (e.g. `{component: "tail"}`).
 */
export interface Logger {
  readonly level: LogLevel;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  isEnabled(level: LogLevel): boolean;
  child(fields: LogFields): Logger;
}

/** Where lines go: anything with `write(string)`, e.g. `process.stderr`. */
export interface LogStream {
  write(chunk: string): unknown;
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** An Error is not JSON-serialisable as is; keep what a reader of the log needs. */
function serialise(value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      message: value.message,
      ...(code !== undefined ? { code } : {}),
      ...(value.stack ? { stack: value.stack } : {}),
      ...(value.cause !== undefined ? { cause: serialise(value.cause) } : {}),
    };
  }
  return value;
}

function line(level: LogLevel, msg: string, bound: LogFields, fields: LogFields | undefined): string {
  const record: LogFields = { time: new Date().toISOString(), level, msg };
  for (const source of [bound, fields]) {
    if (!source) continue;
    for (const [key, value] of Object.entries(source)) {
      if (key !== "time" && key !== "level" && key !== "msg") record[key] = serialise(value);
    }
  }
  try {
    return `${JSON.stringify(record)}\n`;
  } catch {
    // A cyclic or BigInt field must not turn a log call into a crash.
    return `${JSON.stringify({ time: record.time, level, msg, fieldsError: "fields not serialisable" })}\n`;
  }
}

/** A logger writing to `stream` (default stderr) at `level` and above. */
export function createLogger(
  level: LogLevel = "info",
  stream: LogStream = process.stderr,
  bound: LogFields = {},
): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const isEnabled = (at: LogLevel) => LOG_LEVELS.indexOf(at) >= threshold;
  const log = (at: LogLevel) => (msg: string, fields?: LogFields) => {
    if (isEnabled(at)) stream.write(line(at, msg, bound, fields));
  };
  return {
    level,
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
    isEnabled,
    child: (fields) => createLogger(level, stream, { ...bound, ...fields }),
  };
}

/** A logger that writes nothing, for tests and library callers that pass none. */
