import { z } from "zod";
import { deliveryShape } from "../../pipeline/delivery-config.js";
import { httpTransportShape } from "../http/http-transport-config.js";

/** `type: "otlp"`: OTLP/HTTP logs, JSON encoding, to an OpenTelemetry Collector. */
export const otlpSinkConfigSchema = z
  .strictObject({
    type: z.literal("otlp").describe("send events as OpenTelemetry log records (OTLP/HTTP, JSON encoding)"),
    ...deliveryShape,
    endpoint: z
      .url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" })
      .describe("the collector's OTLP/HTTP base URL (e.g. http://127.0.0.1:4318); /v1/logs is appended"),
    ...httpTransportShape,
  })
  .describe("otlp sink");
export type OtlpSinkConfig = z.infer<typeof otlpSinkConfigSchema>;

/** The logs URL of an OTLP/HTTP endpoint: `/v1/logs` appended unless the URL already names it. */
export function logsUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, "");
  return base.endsWith("/v1/logs") ? base : `${base}/v1/logs`;
}
