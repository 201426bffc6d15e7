const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `properties.error`, `hardware.disks[0].name`, `configuration["spark.sql.auth.enable"]`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (!PLAIN_KEY.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

/** The path with array indices collapsed (`hardware.disks[].name`): one row per field in an inventory. */
export function fieldPattern(path: string): string {
  return path.replace(/\[\d+\]/g, "[]");
}

/** A visit of one leaf value: its path, the key holding it (for arrays the parent's key), and the value. */
export interface Leaf {
  path: string;
  key: string;
  value: unknown;
}

/** Every leaf of a JSON value, depth first in key order; an empty object or array is a leaf itself. */
export function* leaves(value: unknown, path = "", key = ""): Generator<Leaf> {
  if (Array.isArray(value) && value.length > 0) {
    for (let i = 0; i < value.length; i++) yield* leaves(value[i], childPath(path, i), key);
  } else if (value !== null && typeof value === "object" && Object.keys(value).length > 0) {
    for (const [name, child] of Object.entries(value)) yield* leaves(child, childPath(path, name), name);
  } else {
    yield { path, key, value };
  }
}
