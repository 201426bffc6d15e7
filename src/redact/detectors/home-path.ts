import { type Detector, regexSpans } from "../detector.js";

// /home/alice/.tiup, /Users/bob/Library, C:\Users\carol\AppData (the span ends with the user name);
// an already masked name (/home/a***) is not found again, so redacting twice changes nothing more.
const HOME =
  /(?<![\w.-])(?:\/home\/|\/Users\/|[A-Za-z]:[\\/](?:Users|Documents and Settings)[\\/])([^\\/\s"'<>:*?|]+)(?!\*)/dg;
const MIGHT = /\/home\/|\/Users\/|:[\\/]/i;
// Shared folders name no one.
const NOBODY = new Set(["shared", "public", "default", "default user", "all users"]);

export const homePath: Detector = {
  id: "home-path",
  severity: "medium",
  description: "a home-directory path that reveals a user name (/home/alice, /Users/bob, C:\\Users\\carol)",
  find: (text) =>
    !MIGHT.test(text)
      ? []
      : regexSpans(HOME, text, 0, (found) => {
          const user = found.split(/[\\/]/).pop() ?? "";
          return !NOBODY.has(user.toLowerCase());
        }),
  mask: (found) => {
    const cut = Math.max(found.lastIndexOf("/"), found.lastIndexOf("\\")) + 1;
    return `${found.slice(0, cut)}${found.slice(cut, cut + 1)}***`;
  },
};
