import type { TelemetryEvent } from "../events.js";
import { maskText } from "./redact-example.js";
import type { Volume } from "./report-schema.js";

/** Events per producer per UTC day, per command (with errors), and results per producer. */
export function volume(events: readonly TelemetryEvent[]): Volume {
  const days = new Map<string, Volume["perDay"][number]>();
  const commands = new Map<string, Volume["commands"][number]>();
  const results = new Map<string, Volume["results"][number]>();
  for (const event of events) {
    const day = event.time.slice(0, 10);
    const dayKey = `${event.producer} ${day}`;
    const perDay = days.get(dayKey) ?? { producer: event.producer, day, count: 0 };
    perDay.count++;
    days.set(dayKey, perDay);
    // TiUP v1.0.x commands carry the raw arguments (paths, cluster names): reports show them masked.
    const name = event.command === null ? null : maskText(event.command, "command");
    const commandKey = JSON.stringify([event.producer, name]);
    const command = commands.get(commandKey) ?? {
      producer: event.producer,
      command: name,
      count: 0,
      errors: 0,
    };
    command.count++;
    if (event.result === "error") command.errors++;
    commands.set(commandKey, command);
    const result = results.get(event.producer) ?? {
      producer: event.producer,
      success: 0,
      error: 0,
      unknown: 0,
      errorRatio: null,
    };
    result[event.result ?? "unknown"]++;
    results.set(event.producer, result);
  }
  for (const result of results.values()) {
    const decided = result.success + result.error;
    result.errorRatio = decided === 0 ? null : result.error / decided;
  }
  return {
    perDay: [...days.values()].sort((a, b) => a.producer.localeCompare(b.producer) || a.day.localeCompare(b.day)),
    commands: [...commands.values()].sort(
      (a, b) =>
        a.producer.localeCompare(b.producer) || b.count - a.count || (a.command ?? "").localeCompare(b.command ?? ""),
    ),
    results: [...results.values()].sort((a, b) => a.producer.localeCompare(b.producer)),
  };
}
