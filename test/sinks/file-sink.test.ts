import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { eventJson } from "../../src/output/event-json.js";
import { FileSink } from "../../src/sinks/file/file-sink.js";
import { StdoutSink } from "../../src/sinks/stdout/stdout-sink.js";
import { listSegments } from "../../src/store/store-layout.js";
import { makeEvent } from "../helpers/make-event.js";
import { tmpDir } from "../helpers/tmp-dir.js";

describe("file and stdout sinks", () => {
  it("appends events to one NDJSON segment per UTC day of the event's time", async () => {
    const dir = join(tmpDir(), "store");
    const sink = new FileSink("store", dir);
    const day1 = makeEvent(1, { time: "2024-03-01T23:59:59.999Z" });
    const day2 = makeEvent(2, { time: "2024-03-02T00:00:00.000Z" });
    assert.deepEqual(await sink.send([day1, day2]), { kind: "ok" });
    assert.deepEqual(await sink.send([makeEvent(3, { time: "2024-03-01T10:00:00.000Z" })]), { kind: "ok" });
    const segments = listSegments(dir);
    assert.deepEqual(
      segments.map((path) => path.slice(dir.length + 1)),
      ["events-2024-03-01.ndjson", "events-2024-03-02.ndjson"],
    );
    const lines = readFileSync(segments[0] ?? "", "utf8")
      .trimEnd()
      .split("\n");
    assert.deepEqual(
      lines.map((line) => JSON.parse(line).id),
      [day1.id, makeEvent(3).id],
    );
  });

  it("prints NDJSON on stdout", async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
    const events = [makeEvent(1), makeEvent(2)];
    assert.deepEqual(await new StdoutSink("out", out).send(events), { kind: "ok" });
    assert.equal(chunks.join(""), events.map((event) => `${eventJson(event)}\n`).join(""));
  });
});
