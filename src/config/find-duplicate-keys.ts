import type { ConfigIssue } from "./config-issue.js";

/**
 * JSON.parse keeps the last of two equal keys without a word, so two sinks written with the same id would silently
 * become one. This walks the (already valid) JSON text and reports every repeated key with its path.
 */
export function findDuplicateKeys(text: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at] as string)) at++;
  };
  const readString = (): string => {
    const start = at;
    at++;
    while (text[at] !== '"') at += text[at] === "\\" ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
  const value = (path: string): void => {
    skipSpace();
    const char = text[at];
    if (char === "{") {
      at++;
      const seen = new Set<string>();
      skipSpace();
      while (text[at] !== "}") {
        skipSpace();
        const key = readString();
        if (seen.has(key))
          issues.push({ path: join(path, key), message: `duplicate key '${key}'; ids must be unique` });
        seen.add(key);
        skipSpace();
        at++; // the colon
        value(join(path, key));
        skipSpace();
        if (text[at] === ",") at++;
        skipSpace();
      }
      at++;
    } else if (char === "[") {
      at++;
      let index = 0;
      skipSpace();
      while (text[at] !== "]") {
        value(`${path}[${index++}]`);
        skipSpace();
        if (text[at] === ",") at++;
        skipSpace();
      }
      at++;
    } else if (char === '"') {
      readString();
    } else {
      while (at < text.length && !/[\s,\]}]/.test(text[at] as string)) at++;
    }
  };
  value("");
  return issues;
}
