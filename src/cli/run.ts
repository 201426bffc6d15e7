import { formatIssue } from "../config/config-issue.js";
import { type LoadedConfig, loadConfig } from "../config/load-config.js";
import { scheduleEntries, scheduleJobs } from "../daemon/schedule-jobs.js";
import { type RunningDaemon, startDaemon } from "../daemon/start-daemon.js";
import { TeletapError } from "../errors.js";
import { createLogger, type Logger } from "../log/logger.js";
import { parseLogLevel } from "../log/parse-log-level.js";
import { type Schedule, startSchedule } from "../schedule/start-schedule.js";
import { HealthTracker } from "../server/health-tracker.js";
import { Metrics } from "../server/metrics.js";
import { type RunningServer, startServer } from "../server/start-server.js";
import { formatConfigErrors, parseConfigArgs } from "./config-args.js";

const HELP = `usage: teletap run [--config FILE] [--log-level LEVEL]

Run the daemon: tail the configured sources, forward every event to the sinks at least once, checkpoint what the
sinks acknowledged. Logs are JSON lines on stderr.

  -c, --config FILE      the configuration (default ./agent.config.json); see \`teletap check\`
      --log-level LEVEL  debug, info (default), warn or error
  -h, --help             this help

Signals: SIGTERM/SIGINT stop reading, flush within shutdownGraceMs, persist checkpoints, exit 0.
SIGHUP reloads the configuration; what was already acknowledged is not read again.
Exit status: 0 after a signal, 2 for a bad configuration (nothing is started), 1 when starting failed.
`;

// Nothing durable is pending once stop() resolved; this only guards against a socket keeping the process alive.
const EXIT_GUARD_MS = 5_000;

interface Running {
  loaded: LoadedConfig;
  daemon: RunningDaemon;
  schedule: Schedule;
}

async function start(loaded: LoadedConfig, deps: { logger: Logger; metrics: Metrics; health: HealthTracker }) {
  const daemon = await startDaemon(loaded, {
    ...deps,
    onResult: (sinkId, result) =>
      deps.health.sinkResult(sinkId, result.kind === "ok", result.kind === "ok" ? undefined : result.reason),
  });
  try {
    // Jobs were checked against what this daemon offers when the config was loaded.
    const schedule = startSchedule(scheduleEntries(loaded), scheduleJobs(loaded, daemon), deps);
    return { loaded, daemon, schedule } satisfies Running;
  } catch (error) {
    await daemon.stop(0);
    throw error;
  }
}

export async function main(argv: string[]): Promise<number> {
  const args = parseConfigArgs(argv, ["log-level"]);
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const logger = createLogger(parseLogLevel(args.logLevel));
  const result = await loadConfig(args.config);
  if (!result.ok) {
    process.stderr.write(formatConfigErrors(args.config, result.errors));
    return 2;
  }
  for (const warning of result.warnings) logger.warn(`config: ${formatIssue(warning)}`);
  const { server: serverConfig } = result.loaded.config;
  const metrics = new Metrics();
  // With the registry, /health also reads the tailer's per-file lag series to tell a stuck reader.
  const health = new HealthTracker(serverConfig, Date.now, metrics);
  const deps = { logger, metrics, health };
  // A SIGTERM while starting must not kill the process mid-way: remember it and stop once started.
  let earlySignal: NodeJS.Signals | null = null;
  const onEarly = (signal: NodeJS.Signals) => {
    earlySignal ??= signal;
  };
  process.on("SIGTERM", onEarly).on("SIGINT", onEarly).on("SIGHUP", onEarly);
  let server: RunningServer | null = null;
  let running: Running;
  try {
    // The listener first: a port in use is a config error (exit 2) before anything is read or sent.
    if (serverConfig.enabled) {
      server = await startServer({
        listen: { host: serverConfig.host, port: serverConfig.port },
        metrics,
        health: () => health.checks(),
      });
      logger.info("metrics and health listening", { url: server.url });
    }
    running = await start(result.loaded, deps);
  } catch (error) {
    await server?.close();
    // A host problem met while starting (a missing CA file, a dataDir that is a file) is the operator's to fix:
    // say what and where, exit 1, rather than an internal error.
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof TeletapError || typeof code !== "string") throw error;
    logger.error("start-up failed", { error });
    process.stderr.write(`teletap: could not start: ${(error as Error).message}\n`);
    return 1;
  } finally {
    process.off("SIGTERM", onEarly).off("SIGINT", onEarly).off("SIGHUP", onEarly);
  }

  return new Promise<number>((resolve) => {
    let queue: Promise<void> = Promise.resolve();
    let stopped = false;
    const stop = async (code: number) => {
      if (stopped) return;
      stopped = true;
      process.off("SIGTERM", onStop).off("SIGINT", onStop).off("SIGHUP", onReload);
      await running.schedule.stop();
      await running.daemon.stop(running.loaded.config.shutdownGraceMs);
      await server?.close();
      logger.info("stopped");
      setTimeout(() => process.exit(code), EXIT_GUARD_MS).unref();
      resolve(code);
    };
    const reload = async () => {
      const next = await loadConfig(args.config);
      if (!next.ok) {
        logger.error("reload refused, the running configuration stays", {
          errors: next.errors.map(formatIssue),
        });
        return;
      }
      for (const warning of next.warnings) logger.warn(`config: ${formatIssue(warning)}`);
      await running.schedule.stop();
      await running.daemon.stop(running.loaded.config.shutdownGraceMs);
      try {
        running = await start(next.loaded, deps);
      } catch (error) {
        logger.error("reload failed to start; stopping", { error });
        await server?.close();
        resolve(1);
        return;
      }
      void stopAtEnd(running.daemon);
      if (JSON.stringify(next.loaded.config.server) !== JSON.stringify(serverConfig)) {
        logger.warn("server settings change only at restart");
      }
      logger.info("configuration reloaded");
    };
    // Signals are handled one after the other: a SIGTERM during a reload waits for the reload to settle.
    const onStop = (signal: NodeJS.Signals) => {
      logger.info("stopping", { signal });
      queue = queue.then(() => stop(0));
    };
    const onReload = () => {
      logger.info("reloading", { signal: "SIGHUP" });
      queue = queue.then(reload);
    };
    process.on("SIGTERM", onStop).on("SIGINT", onStop).on("SIGHUP", onReload);
    // Piped input (`... | teletap run` with only a stdin source): deliver what was read, then exit like a filter.
    const stopAtEnd = (daemon: RunningDaemon) =>
      daemon.ended.then(() => {
        if (running.daemon !== daemon) return;
        logger.info("input ended");
        queue = queue.then(() => stop(0));
      });
    void stopAtEnd(running.daemon);
    if (earlySignal === "SIGHUP") onReload();
    else if (earlySignal !== null) onStop(earlySignal);
  });
}
