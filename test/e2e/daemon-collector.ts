import { type ReceivedRequest, type Responder, startServer, type TestServer } from "../helpers/http-server.js";
import { tail, waitFor } from "./daemon-process.js";

/** One request the collector answered 2xx: the daemon may consider these events delivered. */
export interface AcceptedBatch {
  at: number;
  seqs: number[];
  request: ReceivedRequest;
}

/** What the oracle found: every written sequence number delivered exactly once is the goal. */
export interface OracleReport {
  written: number;
  delivered: number;
  lost: number[];
  /** Sequence numbers delivered more than once, with how many times. */
  duplicated: Map<number, number>;
  /** Sequence numbers delivered that were never written (a parser or framing bug: a torn line). */
  unexpected: number[];
}

/** The sequence numbers in an NDJSON (or JSON array) body of normalized events. */
export function seqsOf(body: string): number[] {
  const trimmed = body.trim();
  if (trimmed === "") return [];
  const events: Array<{ command?: string | null }> = trimmed.startsWith("[")
    ? JSON.parse(trimmed)
    : trimmed.split("\n").map((line) => JSON.parse(line));
  return events.map((event) => Number(/^seq-(\d+)$/.exec(event.command ?? "")?.[1] ?? Number.NaN));
}

/**
 * The HTTP sink's receiver: a real server on 127.0.0.1 whose answers a test programs, keeping the 2xx-answered
 * batches apart so the oracle counts only what the daemon was told was delivered.
 */
export class Collector {
  readonly accepted: AcceptedBatch[] = [];
  private responder: Responder = () => ({ status: 200 });

  private constructor(readonly server: TestServer) {}

  static async start(): Promise<Collector> {
    let self: Collector | undefined;
    const server = await startServer((request, index) => {
      const collector = self as Collector;
      const answer = collector.responder(request, index);
      if (answer.status >= 200 && answer.status < 300) {
        collector.accepted.push({ at: Date.now(), seqs: seqsOf(request.body), request });
      }
      return answer;
    });
    self = new Collector(server);
    return self;
  }

  get url(): string {
    return `${this.server.url}/ingest`;
  }

  get requests(): ReceivedRequest[] {
    return this.server.requests;
  }

  respond(responder: Responder): void {
    this.responder = responder;
  }

  /** How many distinct sequence numbers arrived in accepted batches. */
  distinct(): number {
    return new Set(this.accepted.flatMap((batch) => batch.seqs)).size;
  }

  /** Compares what arrived with what was written. */
  oracle(written: ReadonlySet<number>): OracleReport {
    const counts = new Map<number, number>();
    for (const batch of this.accepted) for (const seq of batch.seqs) counts.set(seq, (counts.get(seq) ?? 0) + 1);
    const duplicated = new Map([...counts].filter(([, n]) => n > 1));
    return {
      written: written.size,
      delivered: counts.size,
      lost: [...written].filter((seq) => !counts.has(seq)).sort((a, b) => a - b),
      duplicated,
      unexpected: [...counts.keys()].filter((seq) => !written.has(seq)),
    };
  }

  close(): Promise<void> {
    return this.server.close();
  }
}

/** A short human summary for assertion messages. */
export function describeReport(report: OracleReport): string {
  const head = (list: number[]) => `${list.slice(0, 20).join(",")}${list.length > 20 ? ",..." : ""}`;
  return `written ${report.written}, delivered ${report.delivered}, lost ${report.lost.length} [${head(report.lost)}], duplicated ${report.duplicated.size} [${head([...report.duplicated.keys()])}], unexpected ${report.unexpected.length} [${head(report.unexpected)}]`;
}

/** Waits until every written sequence number has arrived in an accepted batch; the error names what is missing. */
export async function waitForAll(
  collector: Collector,
  written: ReadonlySet<number>,
  stderr: () => string,
  timeoutMs = 20_000,
): Promise<void> {
  await waitFor(`all ${written.size} events at the collector`, () => collector.oracle(written).lost.length === 0, {
    timeoutMs,
    detail: () =>
      `${describeReport(collector.oracle(written))}; ${collector.requests.length} requests; daemon stderr:\n${tail(stderr())}`,
  });
}
