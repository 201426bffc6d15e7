import { z } from "zod";
import { auditConfigSchema } from "../audit/audit-config.js";
import { routesConfigSchema } from "../pipeline/route-config.js";
import { redactConfigSchema } from "../redact/redact-config.js";
import { scheduleConfigSchema } from "../schedule/schedule-config.js";
import { serverConfigSchema } from "../server/server-config.js";
import { componentIdSchema } from "./component-id.js";
import { sinkConfigSchema } from "./sink-config-schema.js";
import { sourceConfigSchema } from "./source-config-schema.js";

/**
 * agent.config.json, the daemon's configuration, composed from each component's own schema. Unknown keys are
 * rejected everywhere; cross-references (a sink's inputs, a route's sinks) are checked by config-rules.ts.
 */
export const agentConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe("the JSON Schema this file follows, for editors; ignored by teletap"),
    dataDir: z
      .string()
      .min(1)
      .default("./data")
      .describe("where checkpoints, spools, the dead-letter file and the local store live, relative to this file"),
    sources: z
      .record(componentIdSchema, sourceConfigSchema)
      .describe("where log lines come from, by id")
      .refine((sources) => Object.keys(sources).length > 0, { error: "expected at least one source" }),
    sinks: z
      .record(componentIdSchema, sinkConfigSchema)
      .describe("where events go, by id; each names its sources in inputs")
      .refine((sinks) => Object.keys(sinks).length > 0, { error: "expected at least one sink" }),
    routes: routesConfigSchema.optional(),
    schedule: scheduleConfigSchema,
    server: serverConfigSchema.prefault({}),
    redact: redactConfigSchema
      .optional()
      .describe("redact personal data before events leave the host; off when absent"),
    audit: auditConfigSchema.optional().describe("the local compliance audit and its scheduled report"),
    shutdownGraceMs: z
      .int({ error: "expected a non-negative integer" })
      .nonnegative({ error: "expected a non-negative integer" })
      .default(10_000)
      .describe("on SIGTERM/SIGINT, how long batches may take to flush before what is left is spooled"),
  })
  .describe("teletap agent configuration (teletap run)");

/** agent.config.json as written. */
export type AgentConfigInput = z.input<typeof agentConfigSchema>;
/** agent.config.json with every default filled in (paths still as written). */
export type AgentConfig = z.output<typeof agentConfigSchema>;

/** The JSON Schema of agent.config.json, documenting every field (from the `.describe()` texts). */
export function agentConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(agentConfigSchema, { target: "draft-2020-12", io: "input" }) as Record<string, unknown>;
}
