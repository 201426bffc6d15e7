import { type Detector, keepStart, regexSpans } from "../detector.js";

// Authorization: Bearer 9f8a7b6c5d4e3f2a1b0c (the span is the token; the word stays readable)
const BEARER = /\b[Bb]earer\s+([A-Za-z0-9\-._~+/]{8,}=*)/dg;

export const bearerToken: Detector = {
  id: "bearer-token",
  severity: "high",
  description: "an HTTP bearer token (Authorization: Bearer ...)",
  find: (text) => (/earer/.test(text) ? regexSpans(BEARER, text, 1) : []),
  mask: (found) => keepStart(found, 2),
};
