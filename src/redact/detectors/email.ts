import { type Detector, regexSpans } from "../detector.js";

// alice.smith+ci@example.com
const EMAIL =
  /(?<![\w.%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g;

export const email: Detector = {
  id: "email",
  severity: "high",
  description: "an e-mail address (personal data)",
  find: (text) => (text.includes("@") ? regexSpans(EMAIL, text) : []),
  mask: (found) => {
    const at = found.lastIndexOf("@");
    return `${found.slice(0, 1)}***${found.slice(at)}`;
  },
};
