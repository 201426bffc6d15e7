import { mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { TeletapError } from "../../errors.js";
import { writeDurably } from "../../write-durably.js";

/**
 * Bumped when a field changes meaning; an unknown version is refused rather than guessed at. Version 1 was written
 * by tailers that read UTF-16 files as bytes and sent nothing from them: its offsets into such files are void.
 */
export const CHECKPOINT_VERSION = 2;
const READABLE_VERSIONS = [1, 2] as const;

const fileCheckpointSchema = z.strictObject({
  key: z.string().describe("dev:inode of the file"),
  path: z.string().describe("where the file was last seen"),
  offset: z.number().int().nonnegative().describe("byte offset up to which every event was acknowledged"),
  line: z.number().int().positive().describe("line number at offset"),
  headLength: z.number().int().nonnegative(),
  headHash: z.string(),
  tailHash: z.string(),
});

const checkpointStateSchema = z.strictObject({
  version: z.union(READABLE_VERSIONS.map((version) => z.literal(version))),
  sourceId: z.string(),
  files: z.array(fileCheckpointSchema),
});

/** The last write queued per checkpoint path in this process. */
const queued = new Map<string, Promise<void>>();

/** One file's acknowledged position, with the fingerprint of the content before it. */
export type FileCheckpoint = z.infer<typeof fileCheckpointSchema>;

/** A checkpoint as loaded, with the version of the teletap state file that held it. */
export interface SavedCheckpoint extends FileCheckpoint {
  version: (typeof READABLE_VERSIONS)[number];
}

/**
 * The versioned JSON state file of one file source. Written to a temp file, fsynced, then renamed over the old
 * one, so a crash leaves either the old or the new state, never a torn one.
 */
export class CheckpointStore {
  constructor(
    readonly path: string,
    private readonly sourceId: string,
  ) {}

  /**
   * Marks `write` as this path's latest write. A store loading the same path waits for it, so a source started
   * again in the same process (a config reload) sees the acks its predecessor received after stopping.
   */
  queue(write: Promise<void>): void {
    queued.set(this.path, write);
  }

  /** The saved positions keyed by dev:inode; null when no checkpoint was ever written (the very first start). */
  async load(): Promise<Map<string, SavedCheckpoint> | null> {
    await queued.get(this.path);
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw new TeletapError("E_STATE", `cannot read checkpoint ${this.path}`, { cause: error });
    }
    let parsed: z.infer<typeof checkpointStateSchema>;
    try {
      parsed = checkpointStateSchema.parse(JSON.parse(text));
    } catch (error) {
      throw new TeletapError(
        "E_STATE",
        `checkpoint ${this.path} is not a version ${READABLE_VERSIONS.join(" or ")} teletap checkpoint; move it away to start over`,
        { cause: error },
      );
    }
    return new Map(parsed.files.map((file) => [file.key, { ...file, version: parsed.version }]));
  }

  async save(files: Iterable<FileCheckpoint>): Promise<void> {
    const state = { version: CHECKPOINT_VERSION, sourceId: this.sourceId, files: [...files] };
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await writeDurably(this.path, `${JSON.stringify(state)}\n`, `${this.path}.${process.pid}.tmp`);
    } catch (error) {
      throw new TeletapError("E_STATE", `cannot write checkpoint ${this.path}`, { cause: error });
    }
  }
}
