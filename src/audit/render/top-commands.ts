import type { Volume } from "../report-schema.js";

/** Rows per producer in the human-readable reports; `-o json` keeps every command. */
export const TOP_COMMANDS = 15;

type Command = Volume["commands"][number];

/**
 * The most frequent commands of each producer (the volume is sorted by count already), and per producer how many
 * were left out: TiUP commands name a cluster, so a fleet can have thousands.
 */
export function topCommands(volume: Volume, limit = TOP_COMMANDS): { rows: Command[]; omitted: Map<string, number> } {
  const kept = new Map<string, number>();
  const omitted = new Map<string, number>();
  const rows = volume.commands.filter((command) => {
    const n = kept.get(command.producer) ?? 0;
    if (n < limit) {
      kept.set(command.producer, n + 1);
      return true;
    }
    omitted.set(command.producer, (omitted.get(command.producer) ?? 0) + 1);
    return false;
  });
  return { rows, omitted };
}
