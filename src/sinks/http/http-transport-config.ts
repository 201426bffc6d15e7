import { z } from "zod";

/** Credentials for the receiver; write them as `${ENV_VAR}` references so tokens never sit in the file. */
export const authConfigSchema = z
  .discriminatedUnion(
    "strategy",
    [
      z.strictObject({
        strategy: z.literal("bearer").describe("Authorization: Bearer <token>"),
        token: z.string().min(1).describe("the bearer token, usually written as an environment variable reference"),
      }),
      z.strictObject({
        strategy: z.literal("basic").describe("Authorization: Basic base64(user:password)"),
        user: z.string().min(1).describe("the user name"),
        password: z.string().describe("the password, usually written as an environment variable reference"),
      }),
    ],
    { error: "expected strategy to be bearer or basic" },
  )
  .describe("authentication sent with every request");
export type AuthConfig = z.infer<typeof authConfigSchema>;

/** What the `http` and `otlp` sinks share: how a request is sent and secured. */
export const httpTransportShape = {
  compression: z.enum(["none", "gzip"]).default("none").describe("request body compression"),
  headers: z
    .record(z.string().min(1), z.string())
    .default({})
    .describe("extra request headers; values may reference environment variables"),
  auth: authConfigSchema.optional(),
  timeoutMs: z
    .int({ error: "expected a positive integer" })
    .positive({ error: "expected a positive integer" })
    .default(10_000)
    .describe("a request taking longer is abandoned and retried, in milliseconds"),
  tls: z
    .strictObject({
      verify: z.boolean().default(true).describe("verify the receiver's certificate; false only for tests"),
      caFile: z.string().optional().describe("PEM file of extra CA certificates, relative to the config file"),
    })
    .prefault({})
    .describe("TLS settings for https URLs"),
  idHeader: z
    .string()
    .min(1)
    .default("X-Teletap-Event-Ids")
    .describe(
      "header carrying the batch's event ids, comma-separated, so the receiver can de-duplicate; left out past 8 KiB",
    ),
};

/** The parsed transport settings. */
export interface HttpTransportConfig {
  compression: "none" | "gzip";
  headers: Record<string, string>;
  auth?: AuthConfig;
  timeoutMs: number;
  tls: { verify: boolean; caFile?: string };
  idHeader: string;
}
