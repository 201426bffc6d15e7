import type { TelemetryEvent } from "../events.js";
import { isRecord } from "../parsers/build-event.js";

/** Why telemetry was on for one event. */
export type EventEnablement = "explicit" | "old-default" | "unknown";

function semver(text: unknown): [number, number, number] | null {
  const m = typeof text === "string" ? /^v?(\d+)\.(\d+)\.(\d+)/.exec(text) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

function atLeast(v: readonly number[], min: readonly number[]): boolean {
  for (let i = 0; i < min.length; i++) if ((v[i] ?? 0) !== (min[i] ?? 0)) return (v[i] ?? 0) > (min[i] ?? 0);
  return true;
}

// TiUP: the meta file that turns telemetry on was created with `status: enable` before v1.11.3 (PR #2119). The tiup
// binary's version decides it, so TiUPVersion comes before the component's own.
function tiup(event: TelemetryEvent): EventEnablement {
  const attributes = event.attributes;
  const version = isRecord(attributes.version) ? attributes.version : {};
  const v = semver(version.TiUPVersion) ?? semver(version.ComponentVersion) ?? semver(event.version);
  if (v) return atLeast(v, [1, 11, 3]) ? "explicit" : "old-default";
  // The v1.0.1-v1.4.2 report shapes (no version block, or EventDetail.Cluster) only exist in old-default versions.
  const detail = isRecord(attributes.EventDetail) ? attributes.EventDetail : {};
  return "Cluster" in detail || !("version" in attributes) ? "old-default" : "unknown";
}

// TiSpark: default on in 3.0.0-3.0.2, 3.1.0-3.1.2 and 3.2.0, off from 3.0.3, 3.1.3 and 3.2.1 (formats.md §0);
// builds before 3.0.0 are the prototype, which sent by default too.
function tispark(event: TelemetryEvent): EventEnablement {
  const v = semver(event.version);
  if (!v) return "unknown";
  const [major, minor] = v;
  if (major < 3) return "old-default";
  if (major > 3 || minor > 2) return "explicit";
  const firstOff = [3, minor, minor === 2 ? 1 : 3];
  return atLeast(v, firstOff) ? "explicit" : "old-default";
}

/** Whether the event's tool version sent telemetry by default, so nobody need have turned it on. */
export function eventEnablement(event: TelemetryEvent): EventEnablement {
  switch (event.producer) {
    // ticloud has always shipped with telemetry off: an event means someone set telemetry-enabled.
    case "ticloud":
      return "explicit";
    case "tiup":
      return tiup(event);
    case "tispark":
      return tispark(event);
  }
}

/** The documented default, shown beside each producer in reports. */
export const DEFAULT_NOTE: Record<TelemetryEvent["producer"], string> = {
  ticloud: "off by default in every version (ticloud config set telemetry-enabled true)",
  tiup: "on by default before v1.11.3, off from v1.11.3 (tiup telemetry enable); removed in v1.16.3",
  tispark: "on by default in v3.0.0-3.0.2, 3.1.0-3.1.2 and 3.2.0; off from v3.0.3, v3.1.3 and v3.2.1",
};
