/** One problem (or warning) in agent.config.json, at a path such as `sinks.collector.batch.maxEvents`. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** Formats a path the way a reader finds it in the file: `sinks.collector.inputs[0]`; `(root)` for the top. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(root)" : out;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.path}: ${issue.message}`;
}
