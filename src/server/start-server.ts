import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { TeletapError } from "../errors.js";
import { type HealthProbe, healthReport } from "./health.js";
import { METRIC } from "./metric-names.js";
import type { Metrics } from "./metrics.js";

/** What `startServer` needs: where to listen, the registry to render and the health probe. */
export interface ServerOptions {
  listen: { host: string; port: number };
  metrics: Metrics;
  health?: HealthProbe;
}

/** A running metrics/health endpoint. */
export interface RunningServer {
  /** `http://host:port`, with the port actually bound (useful with port 0). */
  url: string;
  port: number;
  close(): Promise<void>;
}

const PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

async function handle(req: IncomingMessage, res: ServerResponse, options: ServerOptions, startedAt: number) {
  const path = (req.url ?? "/").split("?")[0];
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" }).end("method not allowed\n");
    return;
  }
  if (path === "/metrics") {
    sampleProcess(options.metrics);
    res
      .writeHead(200, { "content-type": PROMETHEUS_TEXT })
      .end(req.method === "HEAD" ? undefined : options.metrics.render());
    return;
  }
  if (path === "/health") {
    const report = await healthReport(options.health, startedAt);
    options.metrics.gauge(METRIC.healthy, {}, report.status === "ok" ? 1 : 0);
    res
      .writeHead(report.status === "ok" ? 200 : 503, {
        "content-type": "application/json",
        "cache-control": "no-store",
      })
      .end(req.method === "HEAD" ? undefined : `${JSON.stringify(report)}\n`);
    return;
  }
  res.writeHead(404, { "content-type": "text/plain" }).end("not found: try /metrics or /health\n");
}

/** The process series, read at scrape time: what the OS and V8 count needs no timer of its own. */
function sampleProcess(metrics: Metrics): void {
  const cpu = process.cpuUsage();
  metrics.total(METRIC.cpuSeconds, {}, (cpu.user + cpu.system) / 1e6);
  metrics.gauge(METRIC.residentBytes, {}, process.memoryUsage.rss());
  metrics.gauge(METRIC.heapUsedBytes, {}, process.memoryUsage().heapUsed);
}

/**
 * Serves `GET /metrics` (Prometheus text from the registry) and `GET /health` (200 `{"status":"ok"}` or 503 with
 * the failing checks' reasons). Resolves once listening; a port in use is a configuration error.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const startedAt = Date.now();
  options.metrics.gauge(METRIC.up, {}, 1);
  options.metrics.gauge(METRIC.startTime, {}, Math.floor(startedAt / 1000));
  const server = createServer((req, res) => {
    handle(req, res, options, startedAt).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
  // A scraper's keep-alive connection must not hold the daemon open at shutdown.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new TeletapError(
          "E_CONFIG",
          `server: cannot listen on ${options.listen.host}:${options.listen.port}: ${error.code ?? error.message}`,
          { cause: error },
        ),
      );
    });
    server.listen(options.listen.port, options.listen.host, () => resolve());
  });
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === "IPv6" ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
