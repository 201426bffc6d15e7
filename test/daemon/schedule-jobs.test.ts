import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseConfig } from "../../src/config/load-config.js";
import { scheduleEntries, scheduleJobs } from "../../src/daemon/schedule-jobs.js";
import { FileSink } from "../../src/sinks/file/file-sink.js";
import { makeEvent } from "../helpers/make-event.js";
import { tmpDir } from "../helpers/tmp-dir.js";
import { quietLogger } from "../pipeline/pipeline-helpers.js";

describe("scheduled jobs", () => {
  it("audit-report writes a dated report over the events the file sink stored in the period", async () => {
    const dir = tmpDir();
    const result = parseConfig(
      JSON.stringify({
        sources: { logs: { type: "stdin" } },
        sinks: { store: { type: "file", inputs: ["logs"] } },
        audit: { schedule: "0 6 * * *", periodHours: 1 },
      }),
      join(dir, "agent.config.json"),
    );
    assert.ok(result.ok, JSON.stringify(result));
    const recent = makeEvent(1, { time: new Date(Date.now() - 60_000).toISOString() });
    const old = makeEvent(2, { time: new Date(Date.now() - 3 * 3_600_000).toISOString() });
    assert.deepEqual(await new FileSink("store", join(dir, "data", "store")).send([recent, old]), { kind: "ok" });

    assert.deepEqual(
      scheduleEntries(result.loaded).map((entry) => [entry.id, entry.job, entry.cron]),
      [["audit", "audit-report", "0 6 * * *"]],
    );
    const job = scheduleJobs(result.loaded, {
      flushCheckpoints: async () => {},
      compactSpools: async () => new Map(),
      compactDeadLetters: async () => ({ entries: 0, merged: 0, archived: 0, archives: [] }),
    })["audit-report"];
    assert.ok(job);
    await job({}, { id: "audit", job: "audit-report", signal: new AbortController().signal, logger: quietLogger });
    const reports = readdirSync(join(dir, "data", "reports")).sort();
    assert.deepEqual(
      reports.map((name) => name.replace(/^audit-.*Z\./, "audit-<time>.")),
      ["audit-<time>.html", "audit-<time>.json", "audit-<time>.md"],
    );
    const report = JSON.parse(readFileSync(join(dir, "data", "reports", reports[1] ?? ""), "utf8"));
    const ticloud = report.telemetry.find((status: { producer: string }) => status.producer === "ticloud");
    assert.equal(ticloud.count, 1, "only the event inside periodHours");
  });

  it("a job this daemon does not offer is a config error at its path", () => {
    const result = parseConfig(
      JSON.stringify({
        sources: { logs: { type: "stdin" } },
        sinks: { out: { type: "stdout", inputs: ["logs"] } },
        schedule: [{ id: "nightly", cron: "0 3 * * *", job: "vacuum" }],
      }),
      "/x/agent.config.json",
    );
    assert.equal(result.ok, false);
    assert.match(result.ok ? "" : (result.errors[0]?.path ?? ""), /^schedule\[0\]\.job$/);
  });
});
