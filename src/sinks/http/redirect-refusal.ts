/**
 * Why a redirect answer to a POST is not followed, or undefined when it is. Only 307 and 308 promise the same
 * method and body at the new place; after 301, 302 or 303 clients re-send as a GET without the events. A 307/308
 * is not followed either from https to plain http (the events would travel in clear), to a scheme other than http
 * and https, or to another origin when the sink sends `auth` or `headers`: got drops only `authorization` on the
 * way, so an API key in `headers` would reach whatever host the answer names.
 */
export function redirectRefusal(
  status: number,
  from: string,
  location: string,
  sendsCredentials: boolean,
): string | undefined {
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    return `the endpoint redirected to an invalid Location '${location}'`;
  }
  if (status !== 307 && status !== 308) {
    return `the endpoint redirected to ${to.href}; not followed, as a ${status} turns the POST into a GET without the events (set the url to the new place)`;
  }
  const origin = new URL(from);
  if (to.protocol !== "http:" && to.protocol !== "https:") {
    return `the endpoint redirected to ${to.href}; not followed, as only http and https are spoken`;
  }
  if (origin.protocol === "https:" && to.protocol === "http:") {
    return `the endpoint redirected to ${to.href}; not followed, as it leaves https for plain http`;
  }
  if (sendsCredentials && to.origin !== origin.origin) {
    return `the endpoint redirected to ${to.href}; not followed, as the sink's auth and headers are not sent to another host (set the url to the new place)`;
  }
  return undefined;
}
