import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createLogger } from "../../src/log/logger.js";
import { scheduleConfigSchema } from "../../src/schedule/schedule-config.js";
import { startSchedule } from "../../src/schedule/start-schedule.js";
import { METRIC } from "../../src/server/metric-names.js";
import { Metrics } from "../../src/server/metrics.js";

function deps() {
  const lines: string[] = [];
  const logger = createLogger("debug", { write: (chunk: string) => lines.push(chunk) });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, metrics: new Metrics(), records };
}

const EVERY_SECOND = "* * * * * *";

test("runs a job on its cron ticks with its options", async () => {
  const d = deps();
  const seen: unknown[] = [];
  const entries = scheduleConfigSchema.parse([
    { id: "report", cron: EVERY_SECOND, job: "audit-report", options: { periodHours: 168 } },
  ]);
  const schedule = startSchedule(entries, { "audit-report": (options) => void seen.push(options) }, d);
  const deadline = Date.now() + 5_000;
  while (seen.length < 2 && Date.now() < deadline) await sleep(50);
  await schedule.stop();
  assert.ok(seen.length >= 2, `ran ${seen.length} times`);
  assert.deepEqual(seen[0], { periodHours: 168 });
  assert.equal(d.metrics.get(METRIC.jobRuns.name, { id: "report", job: "audit-report", outcome: "ok" }), seen.length);
});

test("a job never overlaps itself: ticks during a run are skipped and counted", async () => {
  const d = deps();
  let active = 0;
  let maxActive = 0;
  let runs = 0;
  const entries = scheduleConfigSchema.parse([{ id: "compact", cron: EVERY_SECOND, job: "flush-checkpoints" }]);
  const schedule = startSchedule(
    entries,
    {
      "flush-checkpoints": async () => {
        active++;
        runs++;
        maxActive = Math.max(maxActive, active);
        await sleep(2_300);
        active--;
      },
    },
    d,
  );
  const labels = { id: "compact", job: "flush-checkpoints" };
  const deadline = Date.now() + 8_000;
  while (d.metrics.get(METRIC.jobSkipped.name, labels) < 2 && Date.now() < deadline) await sleep(50);
  await schedule.stop();
  assert.equal(maxActive, 1);
  assert.ok(d.metrics.get(METRIC.jobSkipped.name, labels) >= 2);
  assert.ok(d.records().some((record) => record.msg === "job skipped: the previous run is still going"));
  assert.ok(runs >= 1);
});

test("a failing job is logged and counted, and the next tick runs again", async () => {
  const d = deps();
  let calls = 0;
  const entries = scheduleConfigSchema.parse([{ id: "dl", cron: EVERY_SECOND, job: "audit-report" }]);
  const schedule = startSchedule(
    entries,
    {
      "audit-report": () => {
        calls++;
        throw new Error("disk full");
      },
    },
    d,
  );
  const deadline = Date.now() + 5_000;
  while (calls < 2 && Date.now() < deadline) await sleep(50);
  await schedule.stop();
  assert.ok(calls >= 2);
  const failure = d.records().find((record) => record.msg === "job failed");
  assert.equal((failure?.err as { message?: string } | undefined)?.message, "disk full");
  assert.equal(failure?.level, "error");
  assert.ok(d.metrics.get(METRIC.jobRuns.name, { id: "dl", job: "audit-report", outcome: "error" }) >= 2);
});

test("stop() waits for a running execution and aborts its signal", async () => {
  const d = deps();
  let finished = false;
  let aborted = false;
  const entries = scheduleConfigSchema.parse([{ id: "report", cron: "0 0 1 1 *", job: "audit-report" }]);
  const schedule = startSchedule(
    entries,
    {
      "audit-report": async (_options, { signal }) => {
        await sleep(300);
        aborted = signal.aborted;
        finished = true;
      },
    },
    d,
  );
  const run = schedule.runNow("report");
  await sleep(50);
  await schedule.stop();
  assert.equal(finished, true);
  assert.equal(aborted, true);
  assert.equal(await run, "ok");
});

test("bad expressions, unknown jobs, bad time zones and duplicate ids are config errors, all reported", () => {
  const result = scheduleConfigSchema.safeParse([
    { id: "a", cron: "61 * * * *", job: "audit-report" },
    { id: "a", cron: "* * *", job: "vacuum" },
    { id: "b", cron: "0 * * * *", job: "flush-checkpoints", timezone: "Mars/Olympus", extra: 1 },
  ]);
  assert.equal(result.success, false);
  const paths = result.error?.issues.map((issue) => issue.path.join("."));
  assert.deepEqual(paths?.sort(), ["0.cron", "1.cron", "1.id", "1.job", "2", "2.timezone"].sort());
  assert.match(result.error?.issues.find((issue) => issue.path.join(".") === "0.cron")?.message ?? "", /minute/);
});

test("the compaction jobs are accepted with their options", () => {
  const result = scheduleConfigSchema.safeParse([
    { id: "spool", cron: "*/10 * * * *", job: "compact-spool" },
    { id: "dead", cron: "0 3 * * *", job: "compact-dead-letters" },
    { id: "dead-30", cron: "0 4 * * *", job: "compact-dead-letters", options: { maxAgeDays: 30 } },
  ]);
  assert.ok(result.success, JSON.stringify(result.error?.issues));
  assert.deepEqual(
    result.data.map((entry) => [entry.job, entry.options]),
    [
      ["compact-spool", {}],
      ["compact-dead-letters", {}],
      ["compact-dead-letters", { maxAgeDays: 30 }],
    ],
  );
});

test("a bad or misspelt option is a config error at its path, reported with the entries' other problems", () => {
  const bad = scheduleConfigSchema.safeParse([
    { id: "report", cron: "61 * * * *", job: "audit-report", options: { periodHours: 0 } },
    { id: "weekly", cron: "0 6 * * 1", job: "audit-report", options: { periodHours: "24" } },
    { id: "flush", cron: "0 * * * *", job: "flush-checkpoints", options: { fsync: true } },
    { id: "again", cron: "0 * * * *", job: "flush-checkpoints", options: [] },
    { id: "dead", cron: "0 3 * * *", job: "compact-dead-letters", options: { maxAgeDays: 1.5 } },
    { id: "spool", cron: "0 * * * *", job: "compact-spool", options: { maxAgeDays: 30 } },
  ]);
  assert.equal(bad.success, false);
  const issues = bad.error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).sort();
  assert.deepEqual(
    issues?.map((issue) => issue.split(": ")[0]),
    [
      "0.cron",
      "0.options.periodHours",
      "1.options.periodHours",
      "2.options",
      "3.options",
      "4.options.maxAgeDays",
      "5.options",
    ],
  );
  assert.match(issues?.find((issue) => issue.startsWith("0.options.periodHours")) ?? "", /positive integer/);
  assert.match(issues?.find((issue) => issue.startsWith("2.options")) ?? "", /fsync/);
  assert.match(issues?.find((issue) => issue.startsWith("4.options.maxAgeDays")) ?? "", /positive integer/);
  assert.match(issues?.find((issue) => issue.startsWith("5.options")) ?? "", /maxAgeDays/);
});

test("an entry whose job the daemon does not supply fails before anything starts", () => {
  const d = deps();
  const entries = scheduleConfigSchema.parse([{ id: "r", cron: "0 * * * *", job: "audit-report" }]);
  assert.throws(() => startSchedule(entries, {}, d), {
    code: "E_CONFIG",
    message: /schedule\[0\]\.job: 'audit-report'/,
  });
});
