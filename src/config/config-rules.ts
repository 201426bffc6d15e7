import { parseFieldPath } from "../field-path.js";
import { conditionOperators } from "../pipeline/route-config.js";
import type { AgentConfig } from "./agent-config-schema.js";
import type { ConfigIssue } from "./config-issue.js";

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose =>
  value !== null && typeof value === "object" && !Array.isArray(value);
const keysOf = (value: unknown) => (isObject(value) ? Object.keys(value) : []);
const list = (names: Iterable<string>) => [...names].map((name) => `'${name}'`).join(", ") || "none";

/**
 * Cross-references the schema cannot express. Runs on the raw (interpolated) document, read defensively, so that
 * its errors are reported together with the schema's, every problem at once.
 */
export function checkRules(raw: unknown): ConfigIssue[] {
  if (!isObject(raw)) return [];
  const issues: ConfigIssue[] = [];
  const sources = new Set(keysOf(raw.sources));
  const sinks = new Set(keysOf(raw.sinks));
  for (const id of sources) {
    if (sinks.has(id))
      issues.push({ path: `sinks.${id}`, message: `id '${id}' is also a source id; ids must be unique` });
  }
  const stdin = keysOf(raw.sources).filter(
    (id) => isObject(raw.sources) && (raw.sources[id] as Loose)?.type === "stdin",
  );
  for (const id of stdin.slice(1)) {
    issues.push({ path: `sources.${id}.type`, message: `only one stdin source is possible; '${stdin[0]}' is one` });
  }
  for (const id of sinks) {
    const inputs = isObject(raw.sinks) && isObject(raw.sinks[id]) ? (raw.sinks[id] as Loose).inputs : undefined;
    if (!Array.isArray(inputs)) continue;
    inputs.forEach((input, index) => {
      if (typeof input === "string" && !sources.has(input)) {
        issues.push({
          path: `sinks.${id}.inputs[${index}]`,
          message: `unknown source '${input}' (sources: ${list(sources)})`,
        });
      }
    });
  }
  if (isObject(raw.routes)) {
    for (const [id, route] of Object.entries(raw.routes)) {
      if (!isObject(route)) continue;
      if (Array.isArray(route.sinks)) {
        route.sinks.forEach((sink, index) => {
          if (typeof sink === "string" && !sinks.has(sink)) {
            issues.push({
              path: `routes.${id}.sinks[${index}]`,
              message: `unknown sink '${sink}' (sinks: ${list(sinks)})`,
            });
          }
        });
      }
      const conditions = Array.isArray(route.when)
        ? route.when.map((c, i) => [c, `[${i}]`] as const)
        : [[route.when, ""] as const];
      for (const [condition, suffix] of conditions) {
        if (!isObject(condition)) continue;
        const at = `routes.${id}.when${suffix}`;
        const operators = conditionOperators(condition as never);
        if (operators.length !== 1) {
          issues.push({
            path: at,
            message: `expected exactly one of equals, oneOf, matches, exists (got ${operators.length})`,
          });
        }
        // An empty field is the schema's to report.
        if (typeof condition.field === "string" && condition.field !== "") {
          const parsed = parseFieldPath(condition.field);
          if ("error" in parsed) issues.push({ path: `${at}.field`, message: `invalid field path: ${parsed.error}` });
        }
        if (typeof condition.matches === "string") {
          try {
            new RegExp(condition.matches);
          } catch (error) {
            issues.push({ path: `${at}.matches`, message: `invalid regular expression: ${(error as Error).message}` });
          }
        }
      }
    }
  }
  return issues;
}

/** Things that run but are probably not what was meant. */
export function configWarnings(config: AgentConfig): ConfigIssue[] {
  const warnings: ConfigIssue[] = [];
  const used = new Set(Object.values(config.sinks).flatMap((sink) => sink.inputs));
  for (const id of Object.keys(config.sources)) {
    if (!used.has(id))
      warnings.push({ path: `sources.${id}`, message: "no sink reads this source; its events are discarded" });
  }
  for (const [id, sink] of Object.entries(config.sinks)) {
    if (sink.type !== "http" && sink.type !== "otlp") continue;
    const url = new URL(sink.type === "http" ? sink.url : sink.endpoint);
    if (!sink.tls.verify)
      warnings.push({ path: `sinks.${id}.tls.verify`, message: "TLS certificates are not verified" });
    const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
    if (sink.auth && url.protocol === "http:" && !loopback) {
      warnings.push({ path: `sinks.${id}.auth`, message: "credentials are sent without TLS (http://)" });
    }
  }
  if (config.server.enabled && config.server.host !== "127.0.0.1" && config.server.host !== "localhost") {
    warnings.push({
      path: "server.host",
      message: `metrics and health are reachable from the network (${config.server.host})`,
    });
  }
  return warnings;
}
