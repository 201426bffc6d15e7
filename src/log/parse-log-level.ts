import { TeletapError } from "../errors.js";
import { isLogLevel, LOG_LEVELS, type LogLevel } from "./logger.js";

/** Reads `--log-level`'s value; an unknown level is a usage error (exit 2) naming the accepted ones. */
export function parseLogLevel(value: string | undefined, fallback: LogLevel = "info"): LogLevel {
  if (value === undefined) return fallback;
  const level = value.toLowerCase();
  if (isLogLevel(level)) return level;
  throw new TeletapError("E_USAGE", `--log-level: expected one of ${LOG_LEVELS.join(", ")}, got '${value}'`);
}
