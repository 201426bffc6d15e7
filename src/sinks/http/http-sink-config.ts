import { z } from "zod";
import { deliveryShape } from "../../pipeline/delivery-config.js";
import { httpTransportShape } from "./http-transport-config.js";

/** `type: "http"`: POST batches of normalized events to a URL. */
export const httpSinkConfigSchema = z
  .strictObject({
    type: z.literal("http").describe("send batches of events to an HTTP endpoint"),
    ...deliveryShape,
    url: z
      .url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" })
      .describe(
        "the endpoint batches are POSTed to; a 307/308 redirect is followed (5 hops at most), any other redirect drops the batch to the dead-letter file",
      ),
    encoding: z
      .enum(["ndjson", "json"])
      .default("ndjson")
      .describe("ndjson: one event per line, as `teletap grep -o ndjson` prints; json: one JSON array"),
    ...httpTransportShape,
  })
  .describe("http sink");
export type HttpSinkConfig = z.infer<typeof httpSinkConfigSchema>;
