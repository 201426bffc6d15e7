import { type Detector, keepStart, regexSpans, type Span } from "../detector.js";

// In an error message: "..., project_id: 43511", "clusterId=1379661944646413143", ".../projects/43511/..." and UUIDs.
// A route template such as /projects/{project_id}/ names no identifier and is left alone, and so does a masked one
// (project_id: 4***), so redacting twice changes nothing more.
const KEYED =
  /\b(?:[A-Za-z]+[_-](?:id|ID)|[a-z]+(?:Id|ID)|id|ID)\s*[:=]\s*["']?([A-Za-z0-9][A-Za-z0-9_-]*)(?![\w*-])/dg;
const IN_PATH =
  /\/(?:projects|clusters|orgs|organizations|users|accounts|tenants|instances|backups)\/([A-Za-z0-9-]+)(?![\w*-])/dg;
const UUID = /(?<![0-9a-f-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f-])/gi;
const ERROR_FIELD = /error/i;

const hasDigit = (found: string) => /\d/.test(found);

export const errorIdentifier: Detector = {
  id: "error-identifier",
  severity: "low",
  description: "an identifier (project, cluster, user id or UUID) inside an error message",
  find: (text, key) => {
    if (!ERROR_FIELD.test(key)) return [];
    const spans: Span[] = regexSpans(KEYED, text, 1, hasDigit);
    spans.push(...regexSpans(IN_PATH, text, 1, hasDigit), ...regexSpans(UUID, text));
    return spans;
  },
  mask: (found) => keepStart(found, 1),
};
