/** A base that can never be a real origin: a parsed `next` that keeps it stayed on this site. */
const THIS_SITE = 'http://this-site.invalid';

/**
 * `next` when it is a path on this site, otherwise `/`. Rejects other origins (`//host`, `/\host`,
 * `https://…`) and control characters, which browsers strip and so could turn `/\t/host` into `//host`.
 * The path is answered as the WHATWG URL parser (a browser's) serialises it: non-ASCII
 * percent-encoded, so it is a valid Location header on every platform (Fastify refuses raw `é`).
 */
export function safeRedirectTarget(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/')) return '/';
  if (next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/\p{Cc}/u.test(next)) return '/';
  const url = new URL(next, THIS_SITE);
  const path = url.pathname + url.search + url.hash;
  return url.origin === THIS_SITE && !path.startsWith('//') && !path.startsWith('/\\') ? path : '/';
}
