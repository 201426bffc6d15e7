/**
 * The three tools whose telemetry teletap understands. Kept apart from events.ts (which loads zod, about 0.1 s) so
 * the scan path and the CLI's start-up do not pay for the schema library.
 */
export const PRODUCERS = ["ticloud", "tiup", "tispark"] as const;
export type Producer = (typeof PRODUCERS)[number];
