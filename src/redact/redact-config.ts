import { z } from "zod";
import { DETECTORS } from "./detectors/index.js";

const ruleSwitches = Object.fromEntries(
  DETECTORS.map((detector) => [detector.id, z.boolean().optional().describe(`${detector.description} (default on)`)]),
);

/**
 * The redact step the daemon applies before an event leaves the host (global, or per sink). Every detector the
 * audit reports is on unless switched off here.
 */
export const redactConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe("apply the redact step at all"),
    mode: z
      .enum(["mask", "hash"])
      .default("mask")
      .describe("mask: replace a match with a short masked form (a***@example.com); hash: with [rule:sha256 prefix]"),
    salt: z
      .string()
      .default("")
      .describe("prepended before hashing in hash mode, so short values (IPs) cannot be found by trying them all"),
    rules: z
      .strictObject(ruleSwitches)
      .default({})
      .describe("per detector id: false switches that detector off; ids as `teletap audit --rules` lists them"),
  })
  .describe("redaction of personal data and secrets in events before they are sent");

/** The parsed redact configuration (defaults applied). */
export type RedactConfig = z.infer<typeof redactConfigSchema>;
