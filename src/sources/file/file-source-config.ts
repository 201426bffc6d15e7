import { z } from "zod";
import { producerSchema } from "../../events.js";

/**
 * Defaults follow Fluent Bit's in_tail where it has an equivalent (refresh_interval 60 s is shortened because
 * inotify already covers the common case and a rescan of 1,000 files costs about 5 ms of stat calls).
 */
export const FILE_SOURCE_DEFAULTS = {
  readFrom: "end",
  maxLineBytes: 16 * 1024 * 1024,
  maxOpenFiles: 1024,
  rescanIntervalMs: 10_000,
  watch: "native",
  pollIntervalMs: 1_000,
  idleCloseMs: 60_000,
  readBudgetBytes: 1024 * 1024,
  rotateWaitMs: 5_000,
  checkpointIntervalMs: 1_000,
} as const;

/** `sources.<id>` with `type: "file"` in agent.config.json; composed into the config by src/config. */
export const fileSourceConfigSchema = z
  .strictObject({
    type: z.literal("file").describe('the source type; always "file" for tailed log files'),
    include: z
      .array(z.string().min(1))
      .min(1)
      .describe("globs of the log files to tail, relative to the config file's directory (picomatch syntax)"),
    exclude: z
      .array(z.string().min(1))
      .default([])
      .describe("globs of files never to tail even when an include glob matches them (e.g. compressed rotations)"),
    producers: z
      .array(producerSchema)
      .min(1)
      .optional()
      .describe("the tools whose telemetry to extract; all of them (auto-detected per line) when omitted"),
    readFrom: z
      .enum(["beginning", "end"])
      .default(FILE_SOURCE_DEFAULTS.readFrom)
      .describe(
        "where to start in files that already exist at the very first start (no checkpoint yet); files appearing later are always read from their first byte",
      ),
    maxLineBytes: z
      .number()
      .int()
      .positive()
      .default(FILE_SOURCE_DEFAULTS.maxLineBytes)
      .describe("lines longer than this many bytes are skipped and reported as malformed"),
    maxOpenFiles: z
      .number()
      .int()
      .positive()
      .default(FILE_SOURCE_DEFAULTS.maxOpenFiles)
      .describe("most file descriptors held at once; the least recently read idle file is closed to make room"),
    rescanIntervalMs: z
      .number()
      .int()
      .positive()
      .default(FILE_SOURCE_DEFAULTS.rescanIntervalMs)
      .describe("how often the include globs are re-listed to catch anything a watch event missed, in ms"),
    watch: z
      .enum(["native", "poll"])
      .default(FILE_SOURCE_DEFAULTS.watch)
      .describe(
        "how changes are noticed: native = the system's change notifications (inotify on Linux); poll = list the globs and stat every matched file each pollIntervalMs, for filesystems that send none (NFS or SMB written from other hosts, some container mounts)",
      ),
    pollIntervalMs: z
      .number()
      .int()
      .positive()
      .default(FILE_SOURCE_DEFAULTS.pollIntervalMs)
      .describe('with watch "poll": how often the globs are listed and each matched file is stat\'ed, in ms'),
    idleCloseMs: z
      .number()
      .int()
      .positive()
      .default(FILE_SOURCE_DEFAULTS.idleCloseMs)
      .describe("a file unchanged for this long is closed, and reopened when it changes again, in ms"),
    readBudgetBytes: z
      .number()
      .int()
      .positive()
      .default(FILE_SOURCE_DEFAULTS.readBudgetBytes)
      .describe("most bytes read from one file before the other files get their turn"),
    rotateWaitMs: z
      .number()
      .int()
      .nonnegative()
      .default(FILE_SOURCE_DEFAULTS.rotateWaitMs)
      .describe("how long a file renamed away or deleted is still read for late writes before it is let go, in ms"),
    checkpointIntervalMs: z
      .number()
      .int()
      .positive()
      .default(FILE_SOURCE_DEFAULTS.checkpointIntervalMs)
      .describe("how often acknowledged offsets are written to the checkpoint file, in ms"),
  })
  .describe("tail log files matched by globs, resuming from a checkpoint of acknowledged offsets");

/** A `type: "file"` source as written in agent.config.json. */
export type FileSourceConfigInput = z.input<typeof fileSourceConfigSchema>;
/** A `type: "file"` source with every default filled in. */
export type FileSourceConfig = z.output<typeof fileSourceConfigSchema>;
