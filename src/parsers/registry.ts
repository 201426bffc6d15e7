import type { Producer } from "../events.js";
import type { Parser } from "./parse-outcome.js";
import { ticloudParser } from "./ticloud/parse-ticloud.js";
import { tisparkParser } from "./tispark/parse-tispark.js";
import { tiupParser } from "./tiup/parse-tiup.js";

/** Every parser, keyed by producer; TiSpark precedes TiUP because its marker contains TiUP's. */
export const PARSERS: Readonly<Record<Producer, Parser>> = {
  ticloud: ticloudParser,
  tispark: tisparkParser,
  tiup: tiupParser,
};

export const PARSE_ORDER: readonly Producer[] = ["ticloud", "tispark", "tiup"];
