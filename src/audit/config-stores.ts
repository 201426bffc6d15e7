import type { LoadedConfig } from "../config/load-config.js";
import { fileStoreDir } from "../sinks/file/file-store-dir.js";

/**
 * The store directories the configuration's `file` sinks write (`dir`, default `<dataDir>/store`): what
 * `teletap audit --config` reads when given no PATH and no --store. The daemon's scheduled audit reads the same.
 */
export function configStores(loaded: LoadedConfig): string[] {
  return Object.values(loaded.config.sinks).flatMap((sink) =>
    sink.type === "file" ? [fileStoreDir(sink.dir, loaded)] : [],
  );
}
