import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { LoadedConfig } from "../config/load-config.js";
import type { Logger } from "../log/logger.js";
import type { DeadLetterCompaction } from "../pipeline/dead-letter.js";
import type { SpoolCompaction } from "../pipeline/disk-spool.js";
import { Pipeline, type SinkDelivery } from "../pipeline/pipeline.js";
import { createRedactor } from "../redact/create-redactor.js";
import { meteredRedact } from "../redact/metered-redact.js";
import type { Metrics } from "../server/metrics.js";
import { SINKS, type SinkContext } from "../sinks/registry.js";
import type { SendResult, Sink } from "../sinks/sink.js";
import { FileSource } from "../sources/file/file-source.js";
import type { Source } from "../sources/source.js";
import { StdinSource } from "../sources/stdin/stdin-source.js";
import { buildSources } from "./build-sources.js";

/** A running set of sources, pipeline and sinks built from one configuration. */
export interface RunningDaemon {
  /** Stops reading, flushes for at most `graceMs`, spools the rest; resolves once checkpoints are written. */
  stop(graceMs: number): Promise<void>;
  /**
   * Resolves when every source has reached its end, which only a daemon reading nothing but stdin does
   * (`... | teletap run`); pending forever when a file source follows files.
   */
  ended: Promise<void>;
  /** Writes the file sources' acknowledged positions now (the `flush-checkpoints` job). */
  flushCheckpoints(): Promise<void>;
  /** Merges each sink's small spooled batches up to its batch size (the `compact-spool` job); what it did, by sink. */
  compactSpools(signal?: AbortSignal): Promise<Map<string, SpoolCompaction>>;
  /** Folds duplicate dead letters and archives old ones (the `compact-dead-letters` job). */
  compactDeadLetters(maxAgeDays?: number): Promise<DeadLetterCompaction>;
}

export interface DaemonDeps {
  metrics: Metrics;
  logger: Logger;
  onResult?: (sinkId: string, result: SendResult) => void;
}

/** Builds one sink from its config through the registry (`type` -> `SINKS[type]`). */
function createSink(id: string, config: LoadedConfig["config"]["sinks"][string], context: SinkContext): Promise<Sink> {
  const definition = SINKS[config.type] as {
    create: (id: string, config: unknown, context: SinkContext) => Promise<Sink>;
  };
  return definition.create(id, config, context);
}

/** A sink removed from the config leaves its spool behind: say so, since nothing will send those events now. */
async function warnOrphanSpools(dataDir: string, sinks: ReadonlyMap<string, unknown>, logger: Logger): Promise<void> {
  const spoolDir = join(dataDir, "spool");
  const names = await readdir(spoolDir).catch(() => [] as string[]);
  for (const name of names) {
    if (sinks.has(name)) continue;
    const batches = (await readdir(join(spoolDir, name)).catch(() => [] as string[])).length;
    if (batches > 0) {
      logger.warn("a spool whose sink is no longer configured still holds events", {
        sink: name,
        dir: join(spoolDir, name),
        batches,
      });
    }
  }
}

/**
 * Starts sinks, then the pipeline (which picks up what the spools hold from an earlier run), then the sources, so
 * that nothing is read before there is somewhere durable to put it.
 */
export async function startDaemon(loaded: LoadedConfig, deps: DaemonDeps): Promise<RunningDaemon> {
  const { config, dataDir, configDir } = loaded;
  // File sources write their checkpoints here; created before any source starts.
  await mkdir(join(dataDir, "checkpoints"), { recursive: true });
  const context: SinkContext = { dataDir, configDir };
  const sinks = new Map<string, { sink: Sink; delivery: SinkDelivery }>();
  for (const [id, sinkConfig] of Object.entries(config.sinks)) {
    sinks.set(id, { sink: await createSink(id, sinkConfig, context), delivery: sinkConfig });
  }
  const redact = config.redact?.enabled ? meteredRedact(createRedactor(config.redact), deps.metrics) : undefined;
  const pipeline = await Pipeline.create({
    dataDir,
    sinks,
    routes: config.routes,
    metrics: deps.metrics,
    logger: deps.logger.child({ component: "pipeline" }),
    redact,
    onResult: deps.onResult,
  });
  await warnOrphanSpools(dataDir, sinks, deps.logger);
  const sources = buildSources(loaded, deps);
  const started: Source[] = [];
  try {
    for (const source of sources) {
      await source.start(pipeline.emit);
      started.push(source);
    }
  } catch (error) {
    await Promise.all(started.map((source) => source.stop()));
    await pipeline.stop(0);
    throw error;
  }
  deps.logger.info("daemon started", { sources: Object.keys(config.sources), sinks: Object.keys(config.sinks) });
  const flushCheckpoints = async () => {
    await Promise.all(started.map((source) => (source instanceof FileSource ? source.flush() : undefined)));
  };
  const finite = started.every((source) => source instanceof StdinSource);
  return {
    ended: finite
      ? Promise.all(started.map((source) => (source as StdinSource).ended)).then(() => {})
      : new Promise(() => {}),
    flushCheckpoints,
    compactSpools: (signal) => pipeline.compactSpools(signal),
    compactDeadLetters: (maxAgeDays) => pipeline.compactDeadLetters(maxAgeDays),
    async stop(graceMs) {
      await Promise.all(started.map((source) => source.stop()));
      await pipeline.stop(graceMs);
      // Acks that arrived while the pipeline drained are written now, before a reload or exit reads them.
      await flushCheckpoints();
    },
  };
}
