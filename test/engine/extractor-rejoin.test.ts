import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Extractor, type Malformed } from "../../src/engine/extractor.js";
import type { TelemetryEvent } from "../../src/events.js";
import { ticloudLine, tisparkLine, tiupLine } from "../helpers/encode-lines.js";

function extract(text: string, rejoinWrapped: boolean) {
  const events: TelemetryEvent[] = [];
  const malformed: Malformed[] = [];
  const extractor = new Extractor({
    path: "wrapped.log",
    rejoinWrapped,
    onEvent: (event) => events.push(event),
    onMalformed: (m) => malformed.push(m),
  });
  extractor.scanner.push(Buffer.from(text));
  extractor.scanner.finish();
  return { events, malformed, extractor };
}

const lines = [
  ticloudLine({
    timestamp: "2025-11-20T10:15:42.118+08:00",
    source: "ticloud",
    properties: { command: "ticloud-serverless-list", error: 'a  b   c <&> "q"', result: "ERROR" },
  }),
  tiupLine({
    installationUUID: "3f1c2a9e-7b4d-4e1a-9c55-0d6e2b8f41a7",
    event_unix_timestamp: 1667900123,
    EventDetail: {
      cluster: { command: "cluster display x", topology: "global:\n  user: tidb\n", take_milliseconds: 5 },
    },
  }),
  tisparkLine({ track_id: "trkid_1", time: 1668582131, hardware: { os: "CentOS", memory: "Available: 1 GiB/2 GiB" } }),
];

// Re-joining starts from a candidate, so the first physical line must hold the marker up to the payload's start:
// ticloud's prefix through `[event="` is 98 characters (a terminal of 100 columns or more), TiSpark's 53, TiUP's 25.
const FIRST_LINE_NEEDS = [98, 25, 53];

test("a telemetry line wrapped at any width that keeps its marker whole gives the same event as the whole line", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: lines.length - 1 }), fc.integer({ min: 0, max: 200 }), (which, extra) => {
      const line = lines[which] ?? "";
      const width = (FIRST_LINE_NEEDS[which] ?? 0) + extra;
      const wrapped = line.match(new RegExp(`.{1,${width}}`, "gs"))?.join("\n") ?? line;
      const whole = extract(`noise\n${line}\nafter\n`, true);
      const rejoined = extract(`noise\n${wrapped}\nafter\n`, true);
      assert.equal(whole.events.length, 1);
      assert.deepEqual(rejoined.malformed, []);
      assert.deepEqual(rejoined.events, whole.events);
    }),
  );
});

test("a cut-off line is reported at its own line when what follows does not continue it", () => {
  const cut = (lines[0] ?? "").slice(0, 150);
  const { events, malformed } = extract(`${cut}\nError: killed\n${lines[2]}\n`, true);
  assert.deepEqual(
    malformed.map((m) => [m.line, m.producer]),
    [[1, "ticloud"]],
  );
  assert.deepEqual(
    events.map((e) => [e.producer, e.source.line]),
    [["tispark", 3]],
  );
});

test("without re-joining (the daemon's tailer) a cut-off line is reported at once and never holds the checkpoint", () => {
  const cut = (lines[0] ?? "").slice(0, 150);
  const malformed: Malformed[] = [];
  const extractor = new Extractor({ path: "live.log", onEvent: () => {}, onMalformed: (m) => malformed.push(m) });
  extractor.scanner.push(Buffer.from(`${cut}\n`));
  assert.equal(malformed.length, 1);
  assert.equal(extractor.scanner.committedOffset, cut.length + 1);
});

test("while a wrapped line is pending, the safe resume point stays at its first line", () => {
  const { extractor } = extract("", true);
  const line = lines[1] ?? "";
  extractor.scanner.push(Buffer.from(`x\n${line.slice(0, 60)}\n`));
  assert.equal(extractor.scanner.committedOffset, 2);
  extractor.scanner.push(Buffer.from(`${line.slice(60)}\n`));
  assert.equal(extractor.scanner.committedOffset, 2 + line.length + 2);
});
