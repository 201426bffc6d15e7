import { z } from "zod";

/** Default port of `GET /metrics` and `GET /health`; Vector's internal metrics use 9598 too, a known free one. */
export const DEFAULT_SERVER_PORT = 9598;

/**
 * The `server` section of agent.config.json: where `/metrics` and `/health` listen and when health turns red.
 * Bound to loopback by default: metrics name file paths, which a host may not want to publish.
 */
export const serverConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe("serve /metrics and /health; false starts no listener"),
    host: z
      .string()
      .min(1)
      .default("127.0.0.1")
      .describe("address to bind; 127.0.0.1 by default, 0.0.0.0 exposes it to the network"),
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(DEFAULT_SERVER_PORT)
      .describe("TCP port; 0 picks a free one (logged at start)"),
    sinkFailingAfterSeconds: z
      .number()
      .positive()
      .default(60)
      .describe("/health answers 503 once a sink has failed continuously for this long"),
    readerStuckAfterSeconds: z
      .number()
      .positive()
      .default(60)
      .describe("/health answers 503 once a file has unread bytes and no progress for this long"),
  })
  .describe("the daemon's HTTP endpoint for Prometheus metrics and health checks");

/** The `server` section after defaults are applied. */
export type ServerConfig = z.infer<typeof serverConfigSchema>;
