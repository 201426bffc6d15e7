import { createHash } from "node:crypto";
import type { TelemetryEvent } from "../../src/events.js";

/** A valid normalized event numbered `seq`, so tests can count lost and duplicated events by id or by seq. */
export function makeEvent(seq: number, overrides: Partial<TelemetryEvent> = {}): TelemetryEvent {
  return {
    id: createHash("md5").update(`event-${seq}`).digest("hex"),
    producer: "ticloud",
    time: new Date(Date.UTC(2024, 0, 1, 0, 0, seq % 60)).toISOString(),
    command: "ticloud serverless list",
    result: "success",
    durationMs: 120,
    version: "1.0.0",
    os: "linux",
    arch: "amd64",
    telemetryId: null,
    attributes: { seq, properties: { command: "serverless list", region: seq % 2 === 0 ? "cn" : "us" } },
    log: { time: null, level: "DEBUG", logger: null },
    source: { path: "/var/log/ticloud.log", line: seq + 1, offset: seq * 100 },
    ...overrides,
  };
}

export const makeEvents = (count: number, from = 0): TelemetryEvent[] =>
  Array.from({ length: count }, (_, index) => makeEvent(from + index));
