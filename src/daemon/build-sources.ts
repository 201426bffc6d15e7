import { join } from "node:path";
import type { LoadedConfig } from "../config/load-config.js";
import type { Logger } from "../log/logger.js";
import type { Metrics } from "../server/metrics.js";
import { FileSource } from "../sources/file/file-source.js";
import type { Source } from "../sources/source.js";
import { StdinSource } from "../sources/stdin/stdin-source.js";

/** Each file source keeps its own checkpoint file, so sources can be added or removed independently. */
export const checkpointPath = (dataDir: string, sourceId: string) => join(dataDir, "checkpoints", `${sourceId}.json`);

/** The configured sources, not yet started. */
export function buildSources(loaded: LoadedConfig, deps: { metrics: Metrics; logger: Logger }): Source[] {
  return Object.entries(loaded.config.sources).map(([id, config]) => {
    const logger = deps.logger.child({ source: id });
    if (config.type === "stdin") return new StdinSource(id, config, { metrics: deps.metrics, logger });
    return new FileSource({
      id,
      config,
      baseDir: loaded.configDir,
      checkpointPath: checkpointPath(loaded.dataDir, id),
      metrics: deps.metrics,
      onMalformed: (malformed) => logger.warn("malformed telemetry line", { ...malformed }),
      onError: (error) => logger.error(error.message, { code: error.code, cause: error.cause }),
    });
  });
}
