import { z } from "zod";
import { deliveryShape } from "../../pipeline/delivery-config.js";

/** `type: "stdout"`: NDJSON on standard output. */
export const stdoutSinkConfigSchema = z
  .strictObject({
    type: z.literal("stdout").describe("print events as NDJSON on standard output"),
    ...deliveryShape,
  })
  .describe("stdout sink");
export type StdoutSinkConfig = z.infer<typeof stdoutSinkConfigSchema>;
