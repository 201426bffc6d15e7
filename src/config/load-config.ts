import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { z } from "zod";
import { type AgentConfig, agentConfigSchema } from "./agent-config-schema.js";
import { type ConfigIssue, formatPath } from "./config-issue.js";
import { checkRules, configWarnings } from "./config-rules.js";
import { findDuplicateKeys } from "./find-duplicate-keys.js";
import { interpolateEnv } from "./interpolate-env.js";

/** A valid configuration, with the locations its relative paths are resolved against. */
export interface LoadedConfig {
  config: AgentConfig;
  /** Absolute path of the config file. */
  path: string;
  /** Directory of the config file: relative paths in the config are relative to it. */
  configDir: string;
  /** `dataDir` resolved against `configDir`. */
  dataDir: string;
}

/** Either a runnable configuration (and what looks unintended), or every problem found, each with its path. */
export type LoadResult =
  | { ok: true; loaded: LoadedConfig; warnings: ConfigIssue[] }
  | { ok: false; errors: ConfigIssue[] };

export const DEFAULT_CONFIG_PATH = "./agent.config.json";

function zodIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: "unknown key" }));
    }
    const message = issue.message.replace(/^Invalid input: expected (.+), received undefined$/, "required ($1)");
    return [{ path: formatPath(issue.path), message }];
  });
}

/** Where a JSON.parse error happened, as line:column. */
function syntaxIssue(text: string, error: Error): ConfigIssue {
  const at = /position (\d+)/.exec(error.message);
  if (!at) return { path: "(file)", message: `invalid JSON: ${error.message}` };
  const before = text.slice(0, Number(at[1])).split("\n");
  const line = before.length;
  const column = (before.at(-1)?.length ?? 0) + 1;
  return { path: "(file)", message: `invalid JSON at line ${line}, column ${column}: ${error.message}` };
}

/**
 * The pure part: text -> JSON -> `${ENV}` interpolation -> schema -> rules. Every problem from every step after the
 * JSON syntax is collected before answering.
 */
export function parseConfig(text: string, path: string, env: NodeJS.ProcessEnv = process.env): LoadResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [syntaxIssue(text, error as Error)] };
  }
  const duplicates = findDuplicateKeys(text);
  const { value, issues: envIssues } = interpolateEnv(json, env);
  const parsed = agentConfigSchema.safeParse(value);
  // A value whose variable is missing was replaced by "": the schema's complaint about it would only repeat that.
  const unset = new Set(envIssues.map((issue) => issue.path));
  const schemaIssues = parsed.success ? [] : zodIssues(parsed.error).filter((issue) => !unset.has(issue.path));
  const errors = [...duplicates, ...envIssues, ...schemaIssues, ...checkRules(value)];
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  const absolute = resolve(path);
  const configDir = dirname(absolute);
  const config = parsed.data;
  return {
    ok: true,
    loaded: { config, path: absolute, configDir, dataDir: resolve(configDir, config.dataDir) },
    warnings: configWarnings(config),
  };
}

/** Reads and validates a config file; a missing or unreadable file is an error like any other. */
export async function loadConfig(
  path = DEFAULT_CONFIG_PATH,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    return { ok: false, errors: [{ path: "(file)", message: `cannot read ${path}: ${reason}` }] };
  }
  return parseConfig(text, path, env);
}
