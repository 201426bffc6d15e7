import { type Detector, regexSpans, type Span } from "../detector.js";

// db-01.prod.acme.io; the last label must be a real top-level domain, so `storage.block-cache.capacity` (a TiKV
// config name in TiUP's topology) and `3.10.0-1160.el7.x86_64` (a kernel version) are not host names.
const FQDN =
  /(?<![\w@.-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,24})(?![\w-]|\.[A-Za-z0-9])/dg;
const TLDS = new Set(
  (
    "com net org io dev app cloud ai co info biz edu gov mil int eu us uk de fr nl se no dk fi ch at be es pt pl cz " +
    "ru ua cn jp kr tw hk sg au nz ca br mx za xyz tech online site local internal lan corp home localdomain intranet"
  ).split(" "),
);
// The vendors' own endpoints (telemetry.pingcap.com, the TiDB Cloud API) identify no user.
const VENDOR = /(?:^|\.)(?:pingcap\.com|pingcap\.cn|tidbcloud\.com)$/i;
// host: tidb-prod-01 in a YAML topology or `host=...`; TiUP hashes hosts to 32 hex digits, which are fine, and an
// address (host: fe80::1, or masked: fe80:***) is the ip-address detector's.
const HOST_KEY =
  /(?<![\w-])(?:host|hostname|host_name|server|node_name)\s*[:=]\s*["']?([A-Za-z][A-Za-z0-9-]{1,62})(?![\w.*-]|:[\w*:])/dgi;
const HOST_FIELD = /^(?:host|hostname|host_name|node_name)$/i;
const HASHED = /^[0-9a-f]{32}$/i;

function bareHost(found: string): boolean {
  return !HASHED.test(found) && found.toLowerCase() !== "localhost";
}

export const hostname: Detector = {
  id: "hostname",
  severity: "medium",
  description: "a host name or fully qualified domain name (identifies a machine or an organisation)",
  find: (text, key) => {
    const spans: Span[] = !/\.[A-Za-z]/.test(text)
      ? []
      : regexSpans(FQDN, text, 0, (found) => {
          const tld = found.slice(found.lastIndexOf(".") + 1).toLowerCase();
          return TLDS.has(tld) && !VENDOR.test(found);
        });
    if (/host|server|node_name/i.test(text)) spans.push(...regexSpans(HOST_KEY, text, 1, bareHost));
    if (HOST_FIELD.test(key) && /^[A-Za-z][A-Za-z0-9-]{1,62}$/.test(text) && bareHost(text))
      spans.push({ start: 0, end: text.length });
    return spans;
  },
  mask: (found) => {
    const dot = found.lastIndexOf(".");
    return `${found.slice(0, 1)}***${dot > 0 ? found.slice(dot) : ""}`;
  },
};
