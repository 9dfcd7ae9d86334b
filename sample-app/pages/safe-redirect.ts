/**
 * `next` when it is a path on this site, otherwise `/`. Rejects other origins (`//host`, `/\host`,
 * `https://…`) and control characters, which browsers strip and so could turn `/\t/host` into `//host`.
 */
export function safeRedirectTarget(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/')) return '/';
  if (next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/\p{Cc}/u.test(next)) return '/';
  return next;
}
