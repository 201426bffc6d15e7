import { z } from "zod";
import { fileSinkConfigSchema } from "../sinks/file/file-sink-config.js";
import { httpSinkConfigSchema } from "../sinks/http/http-sink-config.js";
import { otlpSinkConfigSchema } from "../sinks/otlp/otlp-sink-config.js";
import { SINK_TYPES } from "../sinks/registry.js";
import { stdoutSinkConfigSchema } from "../sinks/stdout/stdout-sink-config.js";

/** One entry of `sinks`, chosen by its `type` (the key of `SINKS` in src/sinks/registry.ts). */
export const sinkConfigSchema = z
  .discriminatedUnion(
    "type",
    [httpSinkConfigSchema, otlpSinkConfigSchema, fileSinkConfigSchema, stdoutSinkConfigSchema],
    { error: `expected type to be one of ${SINK_TYPES.join(", ")}` },
  )
  .describe("a destination for events");
export type SinkConfig = z.infer<typeof sinkConfigSchema>;
