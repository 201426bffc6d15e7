import { z } from "zod";
import { deliveryShape, redactFlag } from "../../pipeline/delivery-config.js";

/** `type: "file"`: the local event store, one NDJSON segment per UTC day, what `audit` reads. */
export const fileSinkConfigSchema = z
  .strictObject({
    type: z.literal("file").describe("write events to the local store: <dir>/events-YYYY-MM-DD.ndjson"),
    ...deliveryShape,
    redact: redactFlag(false),
    dir: z
      .string()
      .min(1)
      .optional()
      .describe("the store directory, relative to the config file; default <dataDir>/store"),
  })
  .describe("file sink (local event store)");
export type FileSinkConfig = z.infer<typeof fileSinkConfigSchema>;
