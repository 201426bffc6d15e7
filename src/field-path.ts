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
