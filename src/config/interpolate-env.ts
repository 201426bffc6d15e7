import type { ConfigIssue } from "./config-issue.js";
import { formatPath } from "./config-issue.js";

// ${NAME} or ${NAME:-fallback}; $${ is a literal ${.
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` (and `${VAR:-default}`) in every string of the parsed config with the environment's value, so
 * secrets stay out of the file. Works on parsed JSON, not text, so a value holding quotes cannot break the JSON. A
 * variable that is not set (and has no default) is an issue at the string's path; every one is reported.
 */
export function interpolateEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  path: PropertyKey[] = [],
  issues: ConfigIssue[] = [],
): { value: unknown; issues: ConfigIssue[] } {
  if (typeof value === "string") {
    const replaced = value.replace(REFERENCE, (whole, name: string | undefined, fallback: string | undefined) => {
      if (name === undefined) return "${";
      const found = env[name];
      if (found !== undefined && found !== "") return found;
      if (fallback !== undefined) return fallback;
      issues.push({ path: formatPath(path), message: `environment variable ${name} is not set (${whole})` });
      return "";
    });
    return { value: replaced, issues };
  }
  if (Array.isArray(value)) {
    return { value: value.map((item, index) => interpolateEnv(item, env, [...path, index], issues).value), issues };
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value))
      out[key] = interpolateEnv(inner, env, [...path, key], issues).value;
    return { value: out, issues };
  }
  return { value, issues };
}
