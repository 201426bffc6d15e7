import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { readStore } from "../../src/audit/read-store.js";
import type { Malformed } from "../../src/engine/extractor.js";
import type { TelemetryEvent } from "../../src/events.js";
import { eventJson } from "../../src/output/event-json.js";
import { makeEvent } from "../helpers/make-event.js";
import { tmpDir } from "../helpers/tmp-dir.js";

test("a store segment's unreadable lines are reported at their line and byte offset, CRLF and a last line included", async () => {
  const dir = tmpDir();
  const path = join(dir, "events-2025-01-01.ndjson");
  const event = eventJson(makeEvent(1));
  // A CRLF line, a blank line, an event, a cut line, and a last line without its newline.
  writeFileSync(path, `not json\r\n\n${event}\r\n{"id":\nlast`);
  const events: TelemetryEvent[] = [];
  const malformed: Malformed[] = [];
  const read = await readStore(
    dir,
    (e) => events.push(e),
    (m) => malformed.push(m),
  );
  assert.deepEqual(read, [path]);
  assert.deepEqual(
    events.map((e) => e.id),
    [makeEvent(1).id],
  );
  const afterEvent = 11 + Buffer.byteLength(event) + 2;
  assert.deepEqual(
    malformed.map((m) => [m.line, m.offset]),
    [
      [1, 0],
      [4, afterEvent],
      [5, afterEvent + 7],
    ],
  );
});
