import type { Detector } from "../detector.js";
import { apiKey } from "./api-key.js";
import { awsKey } from "./aws-key.js";
import { bearerToken } from "./bearer-token.js";
import { email } from "./email.js";
import { errorIdentifier } from "./error-identifier.js";
import { highEntropy } from "./high-entropy.js";
import { homePath } from "./home-path.js";
import { hostname } from "./hostname.js";
import { ipAddress } from "./ip-address.js";
import { jwt } from "./jwt.js";
import { privateKey } from "./private-key.js";

/**
 * Every detector, most specific first: where two find overlapping text, the earlier one wins (an e-mail's domain
 * is not also reported as a host name, a JWT not also as a high-entropy string).
 */
export const DETECTORS: readonly Detector[] = [
  privateKey,
  jwt,
  awsKey,
  bearerToken,
  apiKey,
  email,
  homePath,
  ipAddress,
  hostname,
  errorIdentifier,
  highEntropy,
];

/** The detector ids, in priority order: the keys of `redact.rules`. */
export const DETECTOR_IDS = DETECTORS.map((detector) => detector.id);
