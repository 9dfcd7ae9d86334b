/**
 * `next` when it is a path on this site, otherwise `/`. Rejects other origins (`//host`, `/\host`,
 * `https://…`) and control characters, which browsers strip and so could turn `/\t/host` into `//host`.
 */
export function safeRedirectTarget(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/')) return '/';
  if (next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\u007f]/.test(next)) return '/';
  return next;
}
