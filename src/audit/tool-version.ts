import { readFileSync } from "node:fs";

let cached: string | undefined;

/** teletap's own version (package.json), for SARIF's tool.driver.version. */
export function toolVersion(): string {
  // Both src/audit/ (tests) and dist/audit/ (the CLI) sit two levels below the package root.
  cached ??= (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string })
    .version;
  return cached;
}
