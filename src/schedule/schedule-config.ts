import cron from "node-cron";
import { z } from "zod";

const positiveInt = () =>
  z.int({ error: "expected a positive integer" }).positive({ error: "expected a positive integer" });

/**
 * What a schedule entry can run, each with its `options`; the caller supplies one function per name. Strict
 * objects: a misspelt option is a config error at its path rather than a default applied in silence.
 */
export const JOB_OPTIONS = {
  "audit-report": z.strictObject({
    periodHours: positiveInt().optional(),
  }),
  "flush-checkpoints": z.strictObject({}),
  "compact-spool": z.strictObject({}),
  "compact-dead-letters": z.strictObject({
    maxAgeDays: positiveInt().optional(),
  }),
};
const JOB_NAMES = Object.keys(JOB_OPTIONS) as [keyof typeof JOB_OPTIONS, ...(keyof typeof JOB_OPTIONS)[]];
/** A job a schedule entry names; run.ts supplies one function for each. */
export type JobName = keyof typeof JOB_OPTIONS;
/** A job's options after validation. */
export type JobOptions<Name extends JobName> = z.infer<(typeof JOB_OPTIONS)[Name]>;

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
    job: z
      .enum(JOB_NAMES)
      .describe(
        "what to run: audit-report, flush-checkpoints, compact-spool (merge the small batch files of sinks' spools), compact-dead-letters (fold repeated dead letters, archive old ones)",
      ),
    timezone: z
      .string()
      .refine(isTimezone, "expected an IANA time zone such as UTC or Asia/Shanghai")
      .optional()
      .describe("time zone the expression is read in; the host's when absent"),
    options: z
      .record(z.string(), z.unknown())
      .default({})
      .describe(
        'the job\'s options: audit-report {"periodHours": N}, the hours the report covers (audit.periodHours when absent); compact-dead-letters {"maxAgeDays": N}, entries last refused longer ago move to dead-letter.archive-<day>.ndjson (none when absent); flush-checkpoints and compact-spool take none',
      ),
  })
  .superRefine(
    (entry, ctx) => {
      // Runs even when other fields failed (see `when`): every problem at once, so read the entry defensively.
      const { job, options } = entry as { job?: unknown; options?: unknown };
      if (typeof job !== "string" || !Object.hasOwn(JOB_OPTIONS, job)) return;
      // Options that are no object at all were reported by the record check already.
      if (options !== undefined && (options === null || typeof options !== "object" || Array.isArray(options))) return;
      const result = JOB_OPTIONS[job as JobName].safeParse(options ?? {});
      for (const issue of result.error?.issues ?? []) {
        ctx.addIssue({ code: "custom", path: ["options", ...issue.path], message: issue.message });
      }
    },
    { when: (payload) => payload.value !== null && typeof payload.value === "object" },
  )
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
  .describe("scheduled jobs (audit reports, checkpoint flush, spool and dead-letter compaction)");

/** One schedule entry after defaults. */
export type ScheduleEntry = z.infer<typeof scheduleEntrySchema>;
/** The `schedule` section after defaults. */
export type ScheduleConfig = z.infer<typeof scheduleConfigSchema>;
