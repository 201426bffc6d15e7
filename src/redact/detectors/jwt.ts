import { type Detector, keepStart, regexSpans } from "../detector.js";

// eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk
const JWT = /(?<![\w-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

export const jwt: Detector = {
  id: "jwt",
  severity: "high",
  description: "a JSON Web Token (a bearer credential that also carries claims about the user)",
  find: (text) => (text.includes("eyJ") ? regexSpans(JWT, text) : []),
  mask: (found) => keepStart(found, 3),
};
