import { type Detector, regexSpans } from "../detector.js";

// -----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY----- (or cut off before its END line)
const BLOCK =
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g;

export const privateKey: Detector = {
  id: "private-key",
  severity: "high",
  description: "a PEM private-key block (RSA, EC, OpenSSH, PGP...)",
  find: (text) => (text.includes("-----BEGIN ") ? regexSpans(BLOCK, text) : []),
  // Not the BEGIN line itself, which would be found again.
  mask: () => "[PRIVATE KEY ***]",
};
