import cron from "node-cron";
import { z } from "zod";

/**
 * The jobs a schedule entry can run; the caller supplies one function per name. No spool or dead-letter compaction:
 * a delivered batch's spool file is deleted, and dead letters leave their file through `teletap replay`.
 */
export const JOB_NAMES = ["audit-report", "flush-checkpoints"] as const;
/** A job a schedule entry names; run.ts supplies one function for each. */
export type JobName = (typeof JOB_NAMES)[number];

function isTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const scheduleEntrySchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, "expected letters, digits, '_', '.' or '-'")
      .describe("a name for this entry, unique in the schedule; used in logs and metrics"),
    cron: z
      .string()
      .superRefine((expression, ctx) => {
        // node-cron's schedule() throws on a bad expression; validating here makes it a config error with a path.
        const result = cron.validateDetailed(expression);
        if (result.valid) return;
        const detail = result.errors.map((error) => `${error.field}: ${error.message}`).join("; ");
        ctx.addIssue({ code: "custom", message: `invalid cron expression '${expression}': ${detail}` });
      })
      .describe("when to run: a node-cron expression, 5 fields (minute first) or 6 (second first)"),
    job: z.enum(JOB_NAMES).describe("what to run"),
    timezone: z
      .string()
      .refine(isTimezone, "expected an IANA time zone such as UTC or Asia/Shanghai")
      .optional()
      .describe("time zone the expression is read in; the host's when absent"),
    options: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('passed to the job as is, e.g. {"periodHours": 168} for a weekly audit-report'),
  })
  .describe("one scheduled job");

/**
 * The `schedule` section of agent.config.json: node-cron jobs. A job never overlaps itself (a tick while the
 * previous run is going is skipped and counted) and a failing job is logged, never fatal.
 */
export const scheduleConfigSchema = z
  .array(scheduleEntrySchema)
  .superRefine(
    (entries, ctx) => {
      const seen = new Set<string>();
      entries.forEach((entry, index) => {
        // Runs even when entries failed (see `when`), so an entry may be anything: read the id defensively.
        const id: unknown = (entry as { id?: unknown } | null)?.id;
        if (typeof id !== "string") return;
        if (seen.has(id))
          ctx.addIssue({ code: "custom", path: [index, "id"], message: `duplicate schedule id '${id}'` });
        seen.add(id);
      });
    },
    // Report duplicates together with the entries' own errors: every problem at once.
    { when: (payload) => Array.isArray(payload.value) },
  )
  .default([])
  .describe("scheduled jobs (audit reports, checkpoint flush)");

/** One schedule entry after defaults. */
export type ScheduleEntry = z.infer<typeof scheduleEntrySchema>;
/** The `schedule` section after defaults. */
export type ScheduleConfig = z.infer<typeof scheduleConfigSchema>;
