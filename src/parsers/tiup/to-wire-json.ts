import type { ProtoField, ProtoValue } from "./parse-proto-text.js";

// TiUP's report.proto: fields that are `repeated` (always a JSON array, even with one element), and gogo
// non-nullable messages, which Go's encoding/json writes as an object even when the text omits them.
const REPEATED = new Set(["nodes", "features"]);
const NON_NULLABLE: Record<string, readonly string[]> = {
  nodes: ["hardware", "os"],
  hardware: ["cpu", "mem"],
};
const DETAILS = new Set(["cluster", "tiup", "playground"]);

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function convertValue(value: ProtoValue, name: string): Json {
  if (!Array.isArray(value)) return typeof value === "number" && !Number.isFinite(value) ? String(value) : value;
  const object = convertMessage(value);
  for (const required of NON_NULLABLE[name] ?? []) object[required] ??= {};
  return object;
}

// A name seen twice is a repeated field whatever the schema says, so nothing is overwritten and lost.
function addField(object: { [key: string]: Json }, name: string, converted: Json): void {
  const existing = object[name];
  if (REPEATED.has(name)) {
    if (Array.isArray(existing)) existing.push(converted);
    else object[name] = [converted];
  } else if (existing !== undefined) {
    object[name] = Array.isArray(existing) ? [...existing, converted] : [existing, converted];
  } else {
    object[name] = converted;
  }
}

function convertMessage(fields: readonly ProtoField[]): { [key: string]: Json } {
  const object: { [key: string]: Json } = {};
  for (const [name, value] of fields) addField(object, name, convertValue(value, name));
  return object;
}

/**
 * The report in the JSON shape TiUP POSTs (json.Marshal of the Go struct): the oneof detail is wrapped in
 * `EventDetail`; the v1.0-v1.4.1 schema (cluster report carrying `UUID`) had no json tag, hence `Cluster`.
 */
export function toWireJson(fields: readonly ProtoField[]): Record<string, unknown> {
  const report: { [key: string]: Json } = {};
  for (const [name, value] of fields) {
    if (DETAILS.has(name) && Array.isArray(value) && !("EventDetail" in report)) {
      const detail = convertMessage(value);
      const key = name === "cluster" && "UUID" in detail ? "Cluster" : name;
      report.EventDetail = { [key]: detail };
    } else {
      addField(report, name, convertValue(value, name));
    }
  }
  return report;
}
