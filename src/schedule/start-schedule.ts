import cron, { type ScheduledTask } from "node-cron";
import { TeletapError } from "../errors.js";
import type { Logger } from "../log/logger.js";
import { METRIC } from "../server/metric-names.js";
import type { Metrics } from "../server/metrics.js";
import type { JobName, JobOptions, ScheduleEntry } from "./schedule-config.js";

/** What a job gets besides its options: who it is, a signal aborted at shutdown, and a logger. */
export interface JobContext {
  id: string;
  job: JobName;
  /** Aborted when the schedule stops: a long job should wind down early; `stop()` still waits for it. */
  signal: AbortSignal;
  logger: Logger;
}

/** A job's body; a throw or a rejection is logged and counted, never fatal to the daemon. */
export type JobFn<Name extends JobName = JobName> = (options: JobOptions<Name>, context: JobContext) => unknown;

/** The job functions the caller (run.ts) offers, by job name; the scheduler knows nothing of their internals. */
export type JobTable = { [Name in JobName]?: JobFn<Name> };

/** How one execution of a job ended. */
export type JobOutcome = "ok" | "error" | "skipped";

/** A running schedule. */
export interface Schedule {
  /** Runs an entry now, as a tick would (same no-overlap rule), e.g. a checkpoint flush on SIGHUP. */
  runNow(id: string): Promise<JobOutcome>;
  /** Stops every timer, aborts the jobs' signals and resolves once every running execution has finished. */
  stop(): Promise<void>;
}

/** node-cron logs missed ticks and its own errors to the console unless given a logger: route them to ours. */
function cronLogger(logger: Logger) {
  const text = (message: string | Error) => (message instanceof Error ? message.message : message);
  return {
    debug: (message: string | Error, err?: Error) => logger.debug(`node-cron: ${text(message)}`, err ? { err } : {}),
    info: (message: string) => logger.info(`node-cron: ${message}`),
    warn: (message: string) => logger.warn(`node-cron: ${message}`),
    error: (message: string | Error, err?: Error) => logger.error(`node-cron: ${text(message)}`, err ? { err } : {}),
  };
}

/**
 * Starts node-cron tasks for the entries (already validated by `scheduleConfigSchema`). Throws `E_CONFIG` naming
 * every entry whose job the caller did not supply, before starting anything.
 */
export function startSchedule(
  entries: readonly ScheduleEntry[],
  jobs: JobTable,
  deps: { logger: Logger; metrics: Metrics },
): Schedule {
  const missing = entries
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => jobs[entry.job] === undefined)
    .map(({ entry, index }) => `schedule[${index}].job: '${entry.job}' is not available in this daemon`);
  if (missing.length > 0) throw new TeletapError("E_CONFIG", missing.join("\n"));

  const abort = new AbortController();
  const running = new Map<string, Promise<void>>();
  const byId = new Map(entries.map((entry) => [entry.id, entry]));

  const run = async (entry: ScheduleEntry): Promise<JobOutcome> => {
    const labels = { id: entry.id, job: entry.job };
    const logger = deps.logger.child({ component: "schedule", ...labels });
    if (abort.signal.aborted) return "skipped";
    if (running.has(entry.id)) {
      deps.metrics.count(METRIC.jobSkipped, labels);
      logger.warn("job skipped: the previous run is still going");
      return "skipped";
    }
    // The entry's options were checked against its job's JOB_OPTIONS when the config was loaded.
    const fn = jobs[entry.job] as (options: unknown, context: JobContext) => unknown;
    const started = performance.now();
    let outcome: JobOutcome = "ok";
    const execution = (async () => {
      try {
        logger.debug("job started");
        await fn(entry.options, { id: entry.id, job: entry.job, signal: abort.signal, logger });
      } catch (error) {
        outcome = "error";
        logger.error("job failed", { err: error });
      }
    })();
    running.set(entry.id, execution);
    await execution;
    running.delete(entry.id);
    const seconds = (performance.now() - started) / 1000;
    deps.metrics.count(METRIC.jobRuns, { ...labels, outcome });
    deps.metrics.count(METRIC.jobSeconds, labels, seconds);
    if (outcome === "ok") logger.info("job finished", { seconds: Math.round(seconds * 1000) / 1000 });
    return outcome;
  };

  const tasks: ScheduledTask[] = entries.map((entry) => {
    const task = cron.createTask(entry.cron, () => run(entry), {
      name: entry.id,
      logger: cronLogger(deps.logger.child({ component: "schedule", id: entry.id })),
      ...(entry.timezone ? { timezone: entry.timezone } : {}),
    });
    task.start();
    return task;
  });
  if (entries.length > 0) deps.logger.info("schedule started", { jobs: entries.map((entry) => entry.id) });

  return {
    runNow: (id) => {
      const entry = byId.get(id);
      if (!entry) return Promise.reject(new TeletapError("E_USAGE", `no schedule entry '${id}'`));
      return run(entry);
    },
    stop: async () => {
      abort.abort();
      for (const task of tasks) {
        await task.stop();
        await task.destroy();
      }
      await Promise.all(running.values());
    },
  };
}
