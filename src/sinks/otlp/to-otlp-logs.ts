import type { TelemetryEvent } from "../../events.js";

/** An OTLP AnyValue in the JSON encoding (64-bit integers as strings, per the OTLP/JSON mapping). */
export type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: AnyValue[] } }
  | { kvlistValue: { values: KeyValue[] } };
export interface KeyValue {
  key: string;
  value: AnyValue;
}

export function toAnyValue(value: unknown): AnyValue {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (typeof value === "number") return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(toAnyValue) } };
  if (value !== null && typeof value === "object") {
    const values = Object.entries(value).map(([key, inner]) => ({ key, value: toAnyValue(inner) }));
    return { kvlistValue: { values } };
  }
  return { stringValue: "" };
}

/** Flattens nested objects into dotted keys (`attributes.properties.command`); arrays stay arrays, nulls are left out. */
export function flattenAttributes(value: Record<string, unknown>, prefix = "", out: KeyValue[] = []): KeyValue[] {
  for (const [key, inner] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (inner === null || inner === undefined) continue;
    if (typeof inner === "object" && !Array.isArray(inner))
      flattenAttributes(inner as Record<string, unknown>, name, out);
    else out.push({ key: name, value: toAnyValue(inner) });
  }
  return out;
}

// OpenTelemetry's SeverityNumber ranges: TRACE 1, DEBUG 5, INFO 9, WARN 13, ERROR 17, FATAL 21.
const SEVERITY: Record<string, number> = { TRACE: 1, DEBUG: 5, INFO: 9, WARN: 13, WARNING: 13, ERROR: 17, FATAL: 21 };

function resourceAttributes(event: TelemetryEvent): KeyValue[] {
  const pairs: [string, string | null][] = [
    ["service.name", event.producer],
    ["service.version", event.version],
    ["os.type", event.os],
    ["host.arch", event.arch],
    ["teletap.telemetry_id", event.telemetryId],
  ];
  return pairs.flatMap(([key, value]) => (value === null ? [] : [{ key, value: { stringValue: value } }]));
}

function logRecord(event: TelemetryEvent, observedNano: string) {
  const level = event.log.level?.toUpperCase() ?? null;
  const severityNumber = level === null ? undefined : SEVERITY[level];
  return {
    timeUnixNano: (BigInt(Date.parse(event.time)) * 1_000_000n).toString(),
    observedTimeUnixNano: observedNano,
    ...(level === null ? {} : { severityText: level }),
    ...(severityNumber === undefined ? {} : { severityNumber }),
    body: toAnyValue(event),
    attributes: flattenAttributes(event as unknown as Record<string, unknown>),
  };
}

/**
 * An OTLP `ExportLogsServiceRequest` (JSON encoding): one resourceLogs per distinct producer / version / os / arch /
 * telemetry id, one logRecord per event whose body is the whole event and whose attributes are the event flattened.
 */
export function toOtlpLogs(events: readonly TelemetryEvent[], scopeVersion: string, now = Date.now()) {
  const observedNano = (BigInt(now) * 1_000_000n).toString();
  const groups = new Map<string, { attributes: KeyValue[]; records: ReturnType<typeof logRecord>[] }>();
  for (const event of events) {
    const attributes = resourceAttributes(event);
    const key = JSON.stringify(attributes);
    let group = groups.get(key);
    if (!group) {
      group = { attributes, records: [] };
      groups.set(key, group);
    }
    group.records.push(logRecord(event, observedNano));
  }
  return {
    resourceLogs: [...groups.values()].map((group) => ({
      resource: { attributes: group.attributes },
      scopeLogs: [{ scope: { name: "teletap", version: scopeVersion }, logRecords: group.records }],
    })),
  };
}
