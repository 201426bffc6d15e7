import { z } from "zod";
import { fileSourceConfigSchema } from "../sources/file/file-source-config.js";
import { stdinSourceConfigSchema } from "../sources/stdin/stdin-source-config.js";

/** Source types by config `type`; the name is also the folder under src/sources/. */
export const SOURCE_TYPES = ["file", "stdin"] as const;

/** One entry of `sources`, chosen by its `type`. */
export const sourceConfigSchema = z
  .discriminatedUnion("type", [fileSourceConfigSchema, stdinSourceConfigSchema], {
    error: `expected type to be one of ${SOURCE_TYPES.join(", ")}`,
  })
  .describe("a source of log lines");
export type SourceConfig = z.infer<typeof sourceConfigSchema>;
