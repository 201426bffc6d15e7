import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import got, { type Got, MaxRedirectsError } from "got";
import type { SendResult } from "../sink.js";
import { classifyResponse } from "./classify-response.js";
import type { HttpTransportConfig } from "./http-transport-config.js";
import { redirectRefusal } from "./redirect-refusal.js";

const gzipAsync = promisify(gzip);
const MAX_ID_HEADER_BYTES = 8 * 1024;
/** A moved endpoint takes a hop or two; more is a loop, which no retry mends. */
const MAX_REDIRECTS = 5;

/** Sends one serialized batch and answers ok | retry | drop; shared by the `http` and `otlp` sinks. */
export type PostBatch = (
  body: string | Buffer,
  contentType: string,
  eventIds: readonly string[],
) => Promise<SendResult>;

function authorization(config: HttpTransportConfig): string | undefined {
  const auth = config.auth;
  if (!auth) return undefined;
  if (auth.strategy === "bearer") return `Bearer ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString("base64")}`;
}

/**
 * A got client for one sink. got's own retry is off (it does not retry POST anyway, and the pipeline's one retry
 * policy decides), HTTP errors are answers rather than exceptions, and TLS is verified unless `tls.verify` is false.
 * 307/308 redirects are followed with the same method, body and headers, within the rules of redirectRefusal;
 * other redirects drop the batch to the dead-letter file, saying where the endpoint pointed.
 */
export function createPostBatch(
  url: string,
  config: HttpTransportConfig,
  resolvePath: (p: string) => string,
): PostBatch {
  const sendsCredentials = config.auth !== undefined || Object.keys(config.headers ?? {}).length > 0;
  const client: Got = got.extend({
    method: "POST",
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: ({ statusCode, url: from, headers: { location } }) =>
      location !== undefined && redirectRefusal(statusCode, from, location, sendsCredentials) === undefined,
    maxRedirects: MAX_REDIRECTS,
    timeout: { request: config.timeoutMs },
    https: {
      rejectUnauthorized: config.tls.verify,
      ...(config.tls.caFile ? { certificateAuthority: readFileSync(resolvePath(config.tls.caFile)) } : {}),
    },
  });
  const auth = authorization(config);
  return async (body, contentType, eventIds) => {
    const ids = eventIds.join(",");
    const headers: Record<string, string> = {
      ...config.headers,
      "content-type": contentType,
      // One key for the whole batch, stable across retries of the same batch (IETF Idempotency-Key draft).
      "idempotency-key": createHash("sha256").update(ids).digest("hex").slice(0, 32),
    };
    // Common servers refuse more than 16 KiB of headers (Node answers 431): past 8 KiB (about 250 ids) the list
    // is left out; every event in the body still carries its id.
    if (ids.length <= MAX_ID_HEADER_BYTES) headers[config.idHeader] = ids;
    if (auth) headers.authorization = auth;
    let payload: string | Buffer = body;
    if (config.compression === "gzip") {
      payload = await gzipAsync(body);
      headers["content-encoding"] = "gzip";
    }
    try {
      const response = await client(url, { body: payload, headers });
      const { location, "retry-after": retryAfter } = response.headers;
      return classifyResponse(
        response.statusCode,
        response.body,
        Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        response.statusCode >= 300 && response.statusCode < 400 && location !== undefined
          ? redirectRefusal(response.statusCode, response.url, location, sendsCredentials)
          : undefined,
      );
    } catch (error) {
      if (error instanceof MaxRedirectsError) {
        const last = error.request?.redirectUrls.at(-1)?.href;
        return { kind: "drop", reason: `the endpoint redirected more than ${MAX_REDIRECTS} times, last to ${last}` };
      }
      // Network errors, timeouts and TLS failures: the receiver may come back, so the pipeline retries.
      const code = (error as { code?: string }).code;
      const message = error instanceof Error ? error.message : String(error);
      return { kind: "retry", reason: code ? `${code}: ${message}` : message };
    }
  };
}
