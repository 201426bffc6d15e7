import cron from "node-cron";
import { z } from "zod";
import { PRODUCERS } from "../events.js";

const policyValue = z.enum(["allowed", "forbidden"]);

/** `audit` in agent.config.json: what telemetry is allowed, and the scheduled report. */
export const auditConfigSchema = z
  .strictObject({
    policy: z
      .strictObject(
        Object.fromEntries(
          PRODUCERS.map((producer) => [
            producer,
            policyValue.optional().describe(`${producer}: forbidden turns any ${producer} event into a high finding`),
          ]),
        ) as Record<(typeof PRODUCERS)[number], z.ZodOptional<typeof policyValue>>,
      )
      .default({})
      .describe("per producer, whether its telemetry may leave this host; unset producers are only reported"),
    schedule: z
      .string()
      .refine((expression) => cron.validate(expression), { message: "not a valid cron expression" })
      .optional()
      .describe("node-cron expression for the dated report the daemon writes (e.g. `0 6 * * *`); none when unset"),
    periodHours: z
      .number()
      .int()
      .positive()
      .default(24)
      .describe("each scheduled report covers the events of this many hours before it runs"),
    reportsDir: z.string().optional().describe("where scheduled reports go; default `<dataDir>/reports`"),
    failOn: z.enum(["low", "medium", "high"]).optional().describe("default for `teletap audit --fail-on`"),
  })
  .describe("the local compliance audit of what the tools sent");

/** The parsed audit configuration (defaults applied). */
export type AuditConfig = z.infer<typeof auditConfigSchema>;
