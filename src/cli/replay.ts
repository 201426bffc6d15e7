import { resolve } from "node:path";
import { loadConfig } from "../config/load-config.js";
import { calculateRetryDelay, type RetryPolicy } from "../pipeline/calculate-retry-delay.js";
import type { DeadLetterEntry } from "../pipeline/dead-letter.js";
import { deadLetterPath } from "../pipeline/dead-letter.js";
import { appendDeadLetterLines, takeDeadLetters } from "../pipeline/take-dead-letters.js";
import { createRedactor } from "../redact/create-redactor.js";
import { SINKS, type SinkContext } from "../sinks/registry.js";
import type { SendResult, Sink } from "../sinks/sink.js";
import { formatConfigErrors, parseConfigArgs } from "./config-args.js";

const HELP = `usage: teletap replay [--config FILE] [--sink ID]

Send the events of the dead-letter file (<dataDir>/dead-letter.ndjson) again, each to the sink that refused it.
Delivered events leave the file; events refused again are written back with the new reason, and events that
still cannot be sent after the retries are written back unchanged. Safe while the daemon runs.

  -c, --config FILE  the configuration (default ./agent.config.json)
      --sink ID      replay only this sink's events
  -h, --help         this help

Exit status: 0 every replayed event was delivered, 1 some were not, 2 a bad configuration.
`;

/** A replay is interactive: it retries a few times with the sink's policy, then gives the events back. */
const REPLAY_ATTEMPTS = 5;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function sendWithRetry(sink: Sink, events: DeadLetterEntry["event"][], retry: RetryPolicy) {
  let result: SendResult = { kind: "retry", reason: "not sent" };
  for (let attempt = 1; attempt <= REPLAY_ATTEMPTS; attempt++) {
    result = await sink.send(events);
    if (result.kind !== "retry") return result;
    if (attempt < REPLAY_ATTEMPTS) await sleep(calculateRetryDelay(retry, attempt, result.afterMs));
  }
  return result;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseConfigArgs(argv, ["sink"]);
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const result = await loadConfig(args.config);
  if (!result.ok) {
    process.stderr.write(formatConfigErrors(args.config, result.errors));
    return 2;
  }
  const { config, dataDir, configDir } = result.loaded;
  if (args.sink !== undefined && !(args.sink in config.sinks)) {
    process.stderr.write(`teletap: --sink: no sink '${args.sink}' in ${resolve(args.config)}\n`);
    return 2;
  }
  const path = deadLetterPath(dataDir);
  const taken = await takeDeadLetters(path);
  const keep: string[] = [...taken.bad];
  // Entries that cannot be replayed as things stand are kept and make the exit status 1; those another --sink
  // names are kept too, but were left alone on purpose.
  let stuck = taken.bad.length;
  if (taken.bad.length > 0)
    process.stderr.write(`teletap: ${taken.bad.length} dead-letter line(s) are not valid entries\n`);
  const bySink = new Map<string, DeadLetterEntry[]>();
  const orphans = new Map<string, number>();
  for (const entry of taken.entries) {
    if (args.sink !== undefined && entry.sink !== args.sink) {
      keep.push(JSON.stringify(entry));
      continue;
    }
    if (!(entry.sink in config.sinks)) {
      orphans.set(entry.sink, (orphans.get(entry.sink) ?? 0) + 1);
      keep.push(JSON.stringify(entry));
      stuck++;
      continue;
    }
    bySink.set(entry.sink, [...(bySink.get(entry.sink) ?? []), entry]);
  }
  for (const [sink, count] of orphans) {
    process.stderr.write(
      `teletap: ${count} dead-letter entries are for sink '${sink}', which the config no longer has\n`,
    );
  }
  const redactor = config.redact?.enabled ? createRedactor(config.redact) : undefined;
  const context: SinkContext = { dataDir, configDir };
  let failed = stuck;
  for (const [id, entries] of bySink) {
    const sinkConfig = config.sinks[id];
    if (!sinkConfig) continue;
    const create = SINKS[sinkConfig.type].create as (
      id: string,
      config: unknown,
      context: SinkContext,
    ) => Promise<Sink>;
    const sink = await create(id, sinkConfig, context);
    const counts = { sent: 0, refused: 0, kept: 0 };
    for (let start = 0; start < entries.length; start += sinkConfig.batch.maxEvents) {
      const batch = entries.slice(start, start + sinkConfig.batch.maxEvents);
      const events = batch.map((entry) => entry.event);
      const answer = await sendWithRetry(
        sink,
        sinkConfig.redact && redactor ? events.map((e) => redactor(e).event) : events,
        sinkConfig.retry,
      );
      if (answer.kind === "ok") counts.sent += batch.length;
      else if (answer.kind === "drop") {
        counts.refused += batch.length;
        const time = new Date().toISOString();
        keep.push(
          ...batch.map((entry) =>
            JSON.stringify({ ...entry, time, status: answer.status ?? null, reason: answer.reason }),
          ),
        );
      } else {
        counts.kept += batch.length;
        keep.push(...batch.map((entry) => JSON.stringify(entry)));
      }
    }
    await sink.close();
    failed += counts.refused + counts.kept;
    process.stdout.write(
      `${id}: ${counts.sent} sent, ${counts.refused} refused again, ${counts.kept} kept (sink unavailable)\n`,
    );
  }
  await appendDeadLetterLines(path, keep);
  await taken.release();
  if (bySink.size === 0 && stuck === 0) process.stdout.write("nothing to replay\n");
  return failed === 0 ? 0 : 1;
}
