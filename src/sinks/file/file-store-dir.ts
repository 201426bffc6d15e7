import { resolve } from "node:path";

/** Where a `file` sink keeps its store: `dir` relative to the config file, else `<dataDir>/store`. */
export function fileStoreDir(dir: string | undefined, context: { dataDir: string; configDir: string }): string {
  return dir === undefined ? resolve(context.dataDir, "store") : resolve(context.configDir, dir);
}
