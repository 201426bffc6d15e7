import { open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Writes `path` whole or not at all: a temp file, fsynced, renamed in, then the directory fsynced so that the
 * rename itself survives a power loss (ext4/xfs). A failed write leaves no temp file behind. `tmp` names the temp
 * file where several processes may write the same path.
 */
export async function writeDurably(path: string, data: string | Buffer, tmp = `${path}.tmp`): Promise<void> {
  try {
    const handle = await open(tmp, "w");
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
  const dir = await open(dirname(path), "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
