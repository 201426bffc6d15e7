import { type Detector, keepStart, regexSpans } from "../detector.js";

// AKIAIOSFODNN7EXAMPLE (access key id) and aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
const KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;
const SECRET = /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/dgi;

export const awsKey: Detector = {
  id: "aws-key",
  severity: "high",
  description: "an AWS access key id or secret access key",
  find: (text) =>
    text.length < 20 ? [] : [...regexSpans(KEY_ID, text), ...(/secret/i.test(text) ? regexSpans(SECRET, text, 1) : [])],
  mask: (found) => keepStart(found, 4),
};
