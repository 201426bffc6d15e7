import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileKey } from "./file-fingerprint.js";

/**
 * Where a file identified by dev:inode now lives in `dir`, for a file renamed away to a name the globs do not
 * match (app.log -> app.log.1) while its descriptor was closed. Null when it is gone.
 */
export async function findByKey(dir: string, key: string): Promise<string | null> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return null;
  }
  for (const name of names) {
    const path = join(dir, name);
    const stats = await stat(path, { bigint: true }).catch(() => null);
    if (stats?.isFile() && fileKey(stats) === key) return path;
  }
  return null;
}
