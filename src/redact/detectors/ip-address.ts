import { isIPv6 } from "node:net";
import { type Detector, regexSpans } from "../detector.js";

// 10.0.12.7, not a version such as 7.9.2009 or a part of 1.2.3.4.5
const IPV4 = /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\d)/g;
// fe80::1ff:fe23:4567:890a; candidates only, checked by node:net (times such as 09:33:49 are not addresses)
const IPV6 = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])/g;

// Loopback and unspecified addresses say nothing about a host or a person.
const HARMLESS = /^(?:127\.|0\.0\.0\.0$|255\.255\.255\.255$)/;

export const ipAddress: Detector = {
  id: "ip-address",
  severity: "medium",
  description: "an IPv4 or IPv6 address (identifies a host or its network)",
  find: (text) => [
    ...(/\d\.\d/.test(text) ? regexSpans(IPV4, text, 0, (found) => !HARMLESS.test(found)) : []),
    ...(text.includes(":") ? regexSpans(IPV6, text, 0, (f) => isIPv6(f) && f !== "::" && f !== "::1") : []),
  ],
  mask: (found) => (found.includes(":") ? `${found.split(":")[0]}:***` : `${found.split(".")[0]}.*.*.*`),
};
