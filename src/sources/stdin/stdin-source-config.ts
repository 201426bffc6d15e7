import { z } from "zod";
import { producerSchema } from "../../events.js";

/** `type: "stdin"`: telemetry lines piped into the daemon, e.g. `ticloud --debug ... 2>&1 | teletap run`. */
export const stdinSourceConfigSchema = z
  .strictObject({
    type: z.literal("stdin").describe("read log lines from standard input; the daemon stops reading at its end"),
    producers: z
      .array(producerSchema)
      .min(1)
      .optional()
      .describe("the tools whose telemetry to extract; all of them (auto-detected per line) when omitted"),
    maxLineBytes: z
      .int({ error: "expected a positive integer" })
      .positive({ error: "expected a positive integer" })
      .default(16 * 1024 * 1024)
      .describe("lines longer than this many bytes are skipped and reported as malformed"),
  })
  .describe("standard input");
export type StdinSourceConfig = z.infer<typeof stdinSourceConfigSchema>;
