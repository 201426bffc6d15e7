import { TeletapError } from "../errors.js";
import type { TelemetryEvent } from "../events.js";
import { parseFieldPath, readFieldPath } from "../field-path.js";
import type { Condition, RouteConfig } from "./route-config.js";

type Test = (event: TelemetryEvent) => boolean;

function compile(condition: Condition): Test {
  const parsed = parseFieldPath(condition.field);
  if ("error" in parsed) throw new TeletapError("E_CONFIG", `route field '${condition.field}': ${parsed.error}`);
  const fieldOf = (event: TelemetryEvent) => readFieldPath(event, parsed.path);
  let test: Test;
  if (condition.equals !== undefined) {
    const expected = condition.equals;
    test = (event) => fieldOf(event) === expected;
  } else if (condition.oneOf !== undefined) {
    const allowed = new Set<unknown>(condition.oneOf);
    test = (event) => allowed.has(fieldOf(event));
  } else if (condition.matches !== undefined) {
    const pattern = new RegExp(condition.matches);
    test = (event) => {
      const value = fieldOf(event);
      return (
        value !== undefined && value !== null && pattern.test(typeof value === "string" ? value : JSON.stringify(value))
      );
    };
  } else {
    const want = condition.exists ?? true;
    test = (event) => {
      const value = fieldOf(event);
      return (value !== undefined && value !== null) === want;
    };
  }
  return condition.negate ? (event) => !test(event) : test;
}

/**
 * Decides which sinks get each event: a sink takes events from the sources in its `inputs`; when routes name the
 * sink, only events matching one of those routes. Conditions are compiled once (regexes and field paths checked by
 * the config rules).
 */
export class Router {
  private readonly sinksBySource = new Map<string, string[]>();
  private readonly filters = new Map<string, Test[]>();

  constructor(sinks: Record<string, { inputs: readonly string[] }>, routes: Record<string, RouteConfig> = {}) {
    for (const [sinkId, sink] of Object.entries(sinks)) {
      for (const source of sink.inputs) {
        const list = this.sinksBySource.get(source) ?? [];
        if (!list.includes(sinkId)) list.push(sinkId);
        this.sinksBySource.set(source, list);
      }
    }
    for (const route of Object.values(routes)) {
      const conditions = (Array.isArray(route.when) ? route.when : [route.when]).map(compile);
      const test: Test = (event) => conditions.every((condition) => condition(event));
      for (const sinkId of route.sinks) this.filters.set(sinkId, [...(this.filters.get(sinkId) ?? []), test]);
    }
  }

  /** The events of one source batch grouped by the sink they go to; sinks that get none are absent. */
  route(sourceId: string, events: readonly TelemetryEvent[]): Map<string, TelemetryEvent[]> {
    const out = new Map<string, TelemetryEvent[]>();
    for (const sinkId of this.sinksBySource.get(sourceId) ?? []) {
      const tests = this.filters.get(sinkId);
      const chosen = tests ? events.filter((event) => tests.some((test) => test(event))) : [...events];
      if (chosen.length > 0) out.set(sinkId, chosen);
    }
    return out;
  }
}
