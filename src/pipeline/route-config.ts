import { z } from "zod";

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A condition on one field of the normalized event; exactly one of equals / oneOf / matches / exists. */
export const conditionSchema = z
  .strictObject({
    field: z
      .string()
      .min(1)
      .describe(
        'path into the event, e.g. producer, source.path, attributes.properties.os; a key holding dots is found as is or quoted: attributes.configuration["spark.sql.auth.enable"]',
      ),
    equals: scalar.optional().describe("the field equals this value"),
    oneOf: z.array(scalar).min(1).optional().describe("the field equals one of these values"),
    matches: z.string().optional().describe("the field, as a string, matches this regular expression"),
    exists: z.boolean().optional().describe("the field is present and not null (true) or absent or null (false)"),
    negate: z.boolean().default(false).describe("invert the condition"),
  })
  .describe("a condition on one event field");
export type Condition = z.infer<typeof conditionSchema>;

/**
 * A route: events matching `when` go to `sinks`. A sink named by any route receives only events that match one of
 * the routes naming it (still only from its `inputs`); sinks no route names receive everything from their inputs.
 */
export const routeConfigSchema = z
  .strictObject({
    when: z
      .union([conditionSchema, z.array(conditionSchema).min(1)])
      .describe("a condition, or a list of conditions that must all hold"),
    sinks: z.array(z.string().min(1)).min(1).describe("ids of the sinks the matching events go to"),
  })
  .describe("a routing rule, e.g. events read from the CN hosts' logs only to the CN collector");
export type RouteConfig = z.infer<typeof routeConfigSchema>;

export const routesConfigSchema = z
  .record(z.string().min(1), routeConfigSchema)
  .describe("routing rules by id; optional, without them every sink gets all events of its inputs");

/** The operators a condition sets; a condition must set exactly one. */
export function conditionOperators(condition: Condition): string[] {
  return (["equals", "oneOf", "matches", "exists"] as const).filter((key) => condition[key] !== undefined);
}
