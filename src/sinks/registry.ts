import { resolve } from "node:path";
import type { z } from "zod";
import { FileSink } from "./file/file-sink.js";
import { fileSinkConfigSchema } from "./file/file-sink-config.js";
import { fileStoreDir } from "./file/file-store-dir.js";
import { httpSinkConfigSchema } from "./http/http-sink-config.js";
import { otlpSinkConfigSchema } from "./otlp/otlp-sink-config.js";
import type { Sink } from "./sink.js";
import { StdoutSink } from "./stdout/stdout-sink.js";
import { stdoutSinkConfigSchema } from "./stdout/stdout-sink-config.js";

/** What a sink needs from the daemon besides its own config. */
export interface SinkContext {
  /** Absolute data directory (spool, dead letter, default store). */
  dataDir: string;
  /** Directory of the config file: relative paths in a sink's config are resolved against it. */
  configDir: string;
}

/**
 * One sink type: the config schema (its `type` literal is the registry key and folder name) and its factory. The
 * remote sinks' modules load only when such a sink is configured: got alone adds 15 MiB to the daemon's RSS.
 */
export interface SinkDefinition<S extends z.ZodType> {
  configSchema: S;
  create(id: string, config: z.infer<S>, context: SinkContext): Promise<Sink>;
  /** One line for `teletap check`: where this sink delivers. */
  describe(config: z.infer<S>, context: SinkContext): string;
}

const define = <S extends z.ZodType>(definition: SinkDefinition<S>) => definition;

/** Every sink type by its config `type`. */
export const SINKS = {
  http: define({
    configSchema: httpSinkConfigSchema,
    create: async (id, config, context) =>
      new (await import("./http/http-sink.js")).HttpSink(id, config, (path) => resolve(context.configDir, path)),
    describe: (config) => `POST ${config.encoding} to ${config.url}${config.compression === "gzip" ? " (gzip)" : ""}`,
  }),
  otlp: define({
    configSchema: otlpSinkConfigSchema,
    create: async (id, config, context) =>
      new (await import("./otlp/otlp-sink.js")).OtlpSink(id, config, (path) => resolve(context.configDir, path)),
    describe: (config) => `OTLP/HTTP JSON logs to ${config.endpoint}`,
  }),
  file: define({
    configSchema: fileSinkConfigSchema,
    create: async (id, config, context) => new FileSink(id, fileStoreDir(config.dir, context)),
    describe: (config, context) => `local store ${fileStoreDir(config.dir, context)}`,
  }),
  stdout: define({
    configSchema: stdoutSinkConfigSchema,
    create: async (id) => new StdoutSink(id),
    describe: () => "NDJSON on standard output",
  }),
} as const;

export type SinkType = keyof typeof SINKS;
export const SINK_TYPES = Object.keys(SINKS) as SinkType[];
