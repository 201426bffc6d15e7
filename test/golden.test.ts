import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Malformed } from "../src/engine/extractor.js";
import { type TelemetryEvent, telemetryEventSchema } from "../src/events.js";
import { scanInput } from "../src/sources/scan-input.js";
import { REPO } from "./helpers/run-cli.js";

// fixtures/<producer>/<case>.log + <case>.expected.jsonl (+ <case>.malformed.jsonl when lines must be reported):
// a new case is two files and no code. UPDATE_GOLDEN=1 rewrites the expectations; review the diff before committing.
const GROUPS = ["ticloud", "tiup", "tispark", "mixed"];
const update = process.env.UPDATE_GOLDEN === "1";

function readJsonl(path: string): unknown[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));
}

function writeJsonl(path: string, rows: unknown[]): void {
  writeFileSync(path, rows.map((row) => `${JSON.stringify(row)}\n`).join(""));
}

for (const group of GROUPS) {
  const dir = join("fixtures", group);
  const cases = readdirSync(join(REPO, dir)).filter((name) => name.endsWith(".log"));
  if (group !== "mixed")
    test(`${group} has at least 8 golden cases`, () => {
      assert.ok(cases.length >= 8, `${dir} holds ${cases.length} cases`);
    });
  for (const name of cases) {
    const base = join(REPO, dir, name.replace(/\.log$/, ""));
    test(`golden ${group}/${name}`, async () => {
      const events: TelemetryEvent[] = [];
      const malformed: Malformed[] = [];
      process.chdir(REPO);
      await scanInput(
        { kind: "file", path: join(dir, name) },
        { onEvent: (event) => events.push(event), onMalformed: (m) => malformed.push(m) },
      );
      for (const event of events) telemetryEventSchema.parse(event);
      if (update) {
        writeJsonl(`${base}.expected.jsonl`, events);
        if (malformed.length > 0) writeJsonl(`${base}.malformed.jsonl`, malformed);
        return;
      }
      assert.ok(existsSync(`${base}.expected.jsonl`), `missing ${base}.expected.jsonl (run with UPDATE_GOLDEN=1)`);
      assert.deepEqual(events, readJsonl(`${base}.expected.jsonl`));
      assert.deepEqual(malformed, readJsonl(`${base}.malformed.jsonl`));
    });
  }
}
