import { join, resolve } from "node:path";
import type { LoadedConfig } from "../config/load-config.js";
import type { Malformed } from "../engine/extractor.js";
import type { TelemetryEvent } from "../events.js";
import type { ScheduleEntry } from "../schedule/schedule-config.js";
import type { JobTable } from "../schedule/start-schedule.js";
import type { RunningDaemon } from "./start-daemon.js";

/** The job functions for `startSchedule`, bound to one loaded configuration and the daemon running it. */
export function scheduleJobs(
  loaded: LoadedConfig,
  daemon: Pick<RunningDaemon, "flushCheckpoints" | "compactSpools" | "compactDeadLetters">,
): JobTable {
  const audit = loaded.config.audit;
  return {
    "flush-checkpoints": () => daemon.flushCheckpoints(),
    "compact-spool": async (_options, context) => {
      for (const [sink, done] of await daemon.compactSpools(context.signal)) {
        if (done.merged > 0) context.logger.info("spool compacted", { sink, ...done });
      }
    },
    "compact-dead-letters": async (options, context) => {
      const { skipped, ...done } = await daemon.compactDeadLetters(options.maxAgeDays);
      if (skipped !== undefined) context.logger.warn("dead letters not compacted", { reason: skipped, ...done });
      else if (done.merged > 0 || done.archived > 0) context.logger.info("dead letters compacted", done);
    },
    "audit-report": async (options, context) => {
      // Loaded when the job first runs: a daemon without a scheduled audit never holds the audit's code.
      const [{ configStores }, { readStore }, { writeAuditReports }] = await Promise.all([
        import("../audit/config-stores.js"),
        import("../audit/read-store.js"),
        import("../audit/write-audit-reports.js"),
      ]);
      const now = new Date();
      const hours = options.periodHours ?? audit?.periodHours ?? 24;
      const fromMs = now.getTime() - hours * 3_600_000;
      const from = new Date(fromMs).toISOString();
      const events: TelemetryEvent[] = [];
      const malformed: Malformed[] = [];
      const dirs = configStores(loaded);
      for (const dir of dirs) {
        await readStore(
          dir,
          (event) => {
            if (event.time >= from) events.push(event);
          },
          (line) => malformed.push(line),
          fromMs,
        ).catch((error: NodeJS.ErrnoException) => {
          // A store not written yet (no event so far) is an empty one.
          if (error.code !== "ENOENT") throw error;
        });
      }
      const reportsDir = audit?.reportsDir
        ? resolve(loaded.configDir, audit.reportsDir)
        : join(loaded.dataDir, "reports");
      const written = writeAuditReports(events, malformed, reportsDir, now, {
        policy: audit?.policy,
        inputs: dirs,
        window: { from, to: now.toISOString() },
      });
      context.logger.info("audit report written", { ...written, events: events.length });
    },
  };
}

/** `schedule` plus the audit's own `audit.schedule`, which is one more audit-report entry. */
export function scheduleEntries(loaded: LoadedConfig): ScheduleEntry[] {
  const entries = [...loaded.config.schedule];
  const cron = loaded.config.audit?.schedule;
  if (cron !== undefined) entries.push({ id: "audit", cron, job: "audit-report", options: {} });
  return entries;
}
