import type { TestContext } from "node:test";
import type { TelemetryEvent } from "../../src/events.js";
import { createLogger } from "../../src/log/logger.js";
import { Pipeline } from "../../src/pipeline/pipeline.js";
import { Metrics } from "../../src/server/metrics.js";
import { HttpSink } from "../../src/sinks/http/http-sink.js";
import { httpSinkConfigSchema } from "../../src/sinks/http/http-sink-config.js";
import type { SourceBatch } from "../../src/sources/source.js";
import { type ReceivedRequest, startServer } from "../helpers/http-server.js";

export const quietLogger = createLogger("error", { write: () => true });

/** Polls `condition` until it holds; the test's own timeout bounds it. Synchronisation, not a timing assertion. */
export async function waitUntil(condition: () => boolean, what = "condition"): Promise<void> {
  for (let i = 0; !condition(); i++) {
    if (i > 2000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A pipeline with one http sink `collector` reading source `logs`, with fast retries. */
export async function httpPipeline(
  dataDir: string,
  url: string,
  overrides: Record<string, unknown> = {},
): Promise<{ pipeline: Pipeline; metrics: Metrics }> {
  const config = httpSinkConfigSchema.parse({
    type: "http",
    inputs: ["logs"],
    url,
    batch: { maxEvents: 10, maxWaitMs: 20 },
    retry: { initialDelayMs: 1, maxDelayMs: 10 },
    ...overrides,
  });
  const metrics = new Metrics();
  const pipeline = await Pipeline.create({
    dataDir,
    sinks: new Map([["collector", { sink: new HttpSink("collector", config, (p) => p), delivery: config }]]),
    metrics,
    logger: quietLogger,
  });
  return { pipeline, metrics };
}

/** A source batch that counts its acks. */
export function batchOf(events: TelemetryEvent[], acks: { count: number }): SourceBatch {
  return { sourceId: "logs", events, ack: () => acks.count++ };
}

/** Ids the receiver accepted (answered 2xx), in order, with repeats. */
export function acceptedIds(requests: readonly ReceivedRequest[], okIndexes: ReadonlySet<number>): string[] {
  return requests.flatMap((request, index) =>
    okIndexes.has(index)
      ? request.body
          .trimEnd()
          .split("\n")
          .map((line) => (JSON.parse(line) as TelemetryEvent).id)
      : [],
  );
}

/** A receiver on 127.0.0.1 that answers 503 until `bringUp()`, then 200; `accepted()` lists the ids it took. */
export async function downThenUpSink(t: TestContext) {
  const ok = new Set<number>();
  let up = false;
  const server = await startServer((_request, index) => {
    if (!up) return { status: 503 };
    ok.add(index);
    return { status: 200 };
  });
  t.after(() => server.close());
  return {
    server,
    bringUp: () => {
      up = true;
    },
    accepted: () => acceptedIds(server.requests, ok),
  };
}
