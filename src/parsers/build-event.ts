import type { LogPrefix, Producer, SourcePosition, TelemetryEvent } from "../events.js";
import { canonicalAttributes } from "./canonical-attributes.js";
import { eventId } from "./event-id.js";

export interface EventFields {
  time: string;
  command: string | null;
  result: "success" | "error" | null;
  durationMs: number | null;
  version: string | null;
  os: string | null;
  arch: string | null;
  telemetryId: string | null;
}

/** Assembles the normalized event in the contract's field order, deriving its id from the payload. */
export function buildEvent(
  producer: Producer,
  attributes: Record<string, unknown>,
  fields: EventFields,
  log: LogPrefix,
  source: SourcePosition,
): TelemetryEvent {
  return {
    id: eventId(producer, canonicalAttributes(attributes)),
    producer,
    time: fields.time,
    command: fields.command,
    result: fields.result,
    durationMs: fields.durationMs,
    version: fields.version,
    os: fields.os,
    arch: fields.arch,
    telemetryId: fields.telemetryId,
    attributes,
    log,
    source,
  };
}

export function stringOrNull(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

export function numberOrNull(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^-?\d+(?:\.\d+)?$/.test(value)) return Number(value);
  return null;
}

/** A duration as the event model has it: a non-negative number of milliseconds, else null. */
export function durationOrNull(value: unknown): number | null {
  const ms = numberOrNull(value);
  return ms !== null && ms >= 0 ? ms : null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
