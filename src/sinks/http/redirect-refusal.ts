/**
 * Why a redirect answer to a POST is not followed, or undefined when it is. Only 307 and 308 promise the same
 * method and body at the new place; after 301, 302 or 303 clients re-send as a GET without the events. A 307/308
 * from https to plain http is not followed either: the request's credentials and events would travel in clear.
 */
export function redirectRefusal(status: number, from: string, location: string): string | undefined {
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    return `the endpoint redirected to an invalid Location '${location}'`;
  }
  if (status !== 307 && status !== 308) {
    return `the endpoint redirected to ${to.href}; not followed, as a ${status} turns the POST into a GET without the events (set the url to the new place)`;
  }
  if (new URL(from).protocol === "https:" && to.protocol === "http:") {
    return `the endpoint redirected to ${to.href}; not followed, as it leaves https for plain http`;
  }
  return undefined;
}
