import type { TelemetryEvent } from "../events.js";
import { maskText } from "./redact-example.js";
import type { Volume } from "./report-schema.js";

type Result = Volume["results"][number];

/** Events per producer per UTC day, per command (with errors), and results per producer. */
export class VolumeTally {
  private readonly days = new Map<string, Volume["perDay"][number]>();
  private readonly commands = new Map<string, Volume["commands"][number]>();
  private readonly results = new Map<string, Result>();

  add(event: TelemetryEvent): void {
    const day = event.time.slice(0, 10);
    const dayKey = `${event.producer} ${day}`;
    const perDay = this.days.get(dayKey) ?? { producer: event.producer, day, count: 0 };
    perDay.count++;
    this.days.set(dayKey, perDay);
    // TiUP v1.0.x commands carry the raw arguments (paths, cluster names): reports show them masked.
    const name = event.command === null ? null : maskText(event.command, "command");
    const commandKey = JSON.stringify([event.producer, name]);
    const command = this.commands.get(commandKey) ?? { producer: event.producer, command: name, count: 0, errors: 0 };
    command.count++;
    if (event.result === "error") command.errors++;
    this.commands.set(commandKey, command);
    const result = this.results.get(event.producer) ?? {
      producer: event.producer,
      success: 0,
      error: 0,
      unknown: 0,
      errorRatio: null,
    };
    result[event.result ?? "unknown"]++;
    this.results.set(event.producer, result);
  }

  result(): Volume {
    const results = [...this.results.values()].map((result): Result => {
      const decided = result.success + result.error;
      return { ...result, errorRatio: decided === 0 ? null : result.error / decided };
    });
    const text = (value: string | null) => value ?? "";
    return {
      perDay: [...this.days.values()]
        .map((row) => ({ ...row }))
        .sort((a, b) => a.producer.localeCompare(b.producer) || a.day.localeCompare(b.day)),
      commands: [...this.commands.values()]
        .map((row) => ({ ...row }))
        .sort(
          (a, b) =>
            a.producer.localeCompare(b.producer) || b.count - a.count || text(a.command).localeCompare(text(b.command)),
        ),
      results: results.sort((a, b) => a.producer.localeCompare(b.producer)),
    };
  }
}
