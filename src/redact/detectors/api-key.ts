import { type Detector, keepStart, regexSpans, type Span } from "../detector.js";

// Vendor-prefixed tokens: ghp_…, github_pat_…, glpat-…, xoxb-…, sk_live_…, sk-…, AIza…
const PREFIXED =
  /(?<![\w-])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,}|glpat-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|sk-[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{35})/g;
// "password": "hunter2hunter2", pwd=changeme (the span is the value): any value is one.
const PASSWORD = /(?<![\w-])(?:password|passwd|pwd)["']?\s*[:=]\s*["']?([^\s"'&,;{}<>]{6,})/dgi;
// api_key=1f2e3d4c5b6a, token: 9f8a7b6c...: only a value that looks generated, so `token: expired` is no finding.
const ASSIGNED =
  /(?<![\w-])(?:api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret|access[_-]?token|auth[_-]?token|token|secret)["']?\s*[:=]\s*["']?([^\s"'&,;{}<>]{6,})/dgi;
const GENERATED = (found: string) => /\d/.test(found) || found.length >= 16;
// A field named like a credential holds one, whatever it looks like.
const SECRET_FIELD =
  /^(?:api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret|access[_-]?token|auth[_-]?token|token|secret|password|passwd)$/i;
// Placeholders and already masked values are not secrets.
const PLACEHOLDER = /^(?:_|\*+|x+|<[^>]*>|\{[^}]*\}|null|none|true|false|redacted|\[redacted\]|[^*]*\*\*\*)$/i;

export const apiKey: Detector = {
  id: "api-key",
  severity: "high",
  description: "an API key, password or token: a vendor-prefixed token, a key=value assignment or a credential field",
  find: (text, key) => {
    const spans: Span[] = text.length >= 16 && /[_-]/.test(text) ? regexSpans(PREFIXED, text) : [];
    if (/[=:]/.test(text)) {
      spans.push(...regexSpans(PASSWORD, text, 1, (found) => !PLACEHOLDER.test(found)));
      spans.push(...regexSpans(ASSIGNED, text, 1, (found) => !PLACEHOLDER.test(found) && GENERATED(found)));
    }
    if (SECRET_FIELD.test(key) && text.length >= 4 && !PLACEHOLDER.test(text))
      spans.push({ start: 0, end: text.length });
    return spans;
  },
  mask: (found) => keepStart(found, 2),
};
