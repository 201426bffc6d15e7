const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `properties.error`, `configuration["spark.sql.auth.enable"]`: a key that is not a plain name is quoted. */
export function childPath(parent: string, key: string): string {
  if (!PLAIN_KEY.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

/** Called for each leaf: its field path (array indices written [], as in `hardware.disks[].name`), the key holding
 * it (for array items the array's key) and the value. */
export type LeafVisitor = (field: string, key: string, value: unknown) => void;

/** Every leaf of a JSON value, depth first in key order; an empty object or array is a leaf itself. */
export function forEachLeaf(value: unknown, visit: LeafVisitor, field = "", key = ""): void {
  if (Array.isArray(value) && value.length > 0) {
    for (const item of value) forEachLeaf(item, visit, `${field}[]`, key);
  } else if (value !== null && typeof value === "object" && Object.keys(value).length > 0) {
    for (const [name, child] of Object.entries(value)) forEachLeaf(child, visit, childPath(field, name), name);
  } else {
    visit(field, key, value);
  }
}

/**
 * A parsed field path: for each segment, the keys a step starting there may take, longest first, each with the
 * segment that follows it. Dotted names between brackets may join into one key that holds dots; a bracketed key or
 * index is always a key of its own. Worked out once when parsed: joining at every read took 0.77 µs a read of
 * `attributes.properties.region`, this 0.17 µs (the plain split it replaces 0.13 µs).
 */
export type FieldPath = readonly (readonly { key: string; next: number }[])[];

const BRACKET_HINT = `write an index such as [0] or a quoted key such as ["spark.sql.auth.enable"]`;

type Bracket = { key: string; end: number } | { error: string };

/** The bracket opening at `open`: `["a.b"]` (JSON string escapes), `['a.b']` (\' and \\) or `[0]`. */
function readBracket(text: string, open: number): Bracket {
  const quote = text[open + 1];
  if (quote === '"' || quote === "'") {
    let close = open + 2;
    while (close < text.length && text[close] !== quote) close += text[close] === "\\" ? 2 : 1;
    if (close >= text.length) return { error: `unclosed quote at character ${open + 2}` };
    if (close + 1 >= text.length) return { error: `unclosed '[' at character ${open + 1}` };
    if (text[close + 1] !== "]") {
      return { error: `expected ']' at character ${close + 2} to close the '[' at character ${open + 1}` };
    }
    const quoted = text.slice(open + 1, close + 1);
    if (quote === "'") return { key: quoted.slice(1, -1).replace(/\\(.)/g, "$1"), end: close + 2 };
    try {
      return { key: JSON.parse(quoted) as string, end: close + 2 };
    } catch {
      return { error: `invalid escape in the quoted key at character ${open + 2}` };
    }
  }
  const close = text.indexOf("]", open);
  if (close < 0) return { error: `unclosed '[' at character ${open + 1}` };
  const inside = text.slice(open + 1, close);
  if (!/^\d+$/.test(inside)) return { error: `'[${inside}]' at character ${open + 1}: ${BRACKET_HINT}` };
  return { key: inside, end: close + 1 };
}

/**
 * `attributes.properties.os`, `attributes.configuration["spark.sql.auth.enable"]` (or `['…']`),
 * `attributes.items.0.name` or `attributes.items[0].name`, as the audit writes paths with childPath. A malformed
 * path (empty segment, unclosed bracket) is an error naming the character where it goes wrong. With `until`, the
 * path ends at that character outside brackets (`end` is its index), so `--where` finds its '=' even when a quoted
 * key holds one.
 */
export function parseFieldPath(text: string, until?: string): { path: FieldPath; end: number } | { error: string } {
  const runs: string[][] = [];
  let run: string[] | null = null;
  let at = 0;
  for (;;) {
    if (text[at] === "[") {
      const bracket = readBracket(text, at);
      if ("error" in bracket) return bracket;
      if (run) runs.push(run);
      run = null;
      runs.push([bracket.key]);
      at = bracket.end;
    } else {
      let end = at;
      while (end < text.length && !".[]".includes(text[end] ?? "") && text[end] !== until) end++;
      if (text[end] === "]") return { error: `unexpected ']' at character ${end + 1}` };
      if (end === at) return { error: `empty segment at character ${at + 1}` };
      run ??= [];
      run.push(text.slice(at, end));
      at = end;
    }
    if (at === text.length || text[at] === until) break;
    if (text[at] === ".") at++;
    else if (text[at] !== "[") return { error: `expected '.' or '[' at character ${at + 1}` };
  }
  if (run) runs.push(run);
  const steps: { key: string; next: number }[][] = [];
  for (const names of runs) {
    const base = steps.length;
    for (let from = 0; from < names.length; from++) {
      const keys = [];
      for (let to = names.length; to > from; to--) keys.push({ key: names.slice(from, to).join("."), next: base + to });
      steps.push(keys);
    }
  }
  return { path: steps, end: at };
}

/**
 * The value at a path; undefined when a step is missing. Only own keys count, and at each step the longest run of
 * the remaining dotted names that is a key wins, so `configuration.spark.sql.auth.enable` finds the key
 * `spark.sql.auth.enable`. There is no backtracking: a shorter key is tried only when the longer ones are absent.
 */
export function readFieldPath(root: unknown, path: FieldPath): unknown {
  let value = root;
  let at = 0;
  while (at < path.length) {
    if (value === null || typeof value !== "object") return undefined;
    const step = path[at]?.find(({ key }) => Object.hasOwn(value as object, key));
    if (step === undefined) return undefined;
    value = (value as Record<string, unknown>)[step.key];
    at = step.next;
  }
  return value;
}
