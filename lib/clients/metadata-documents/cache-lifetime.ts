/**
 * How many seconds to keep a fetched document: its Cache-Control `max-age` (none for `no-store` or
 * `no-cache`, the minimum when it says nothing), held within the host's bounds (the draft lets an
 * authorization server set its own).
 */
export function cacheLifetimeSeconds(
  cacheControl: string | undefined,
  bounds: { minCacheSeconds: number; maxCacheSeconds: number },
): number {
  const directives = (cacheControl ?? '')
    .toLowerCase()
    .split(',')
    .map((directive) => directive.trim());
  const maxAge = directives.map((directive) => /^max-age\s*=\s*"?(\d+)"?$/.exec(directive)?.[1]).find((value) => value !== undefined);
  const wanted = directives.includes('no-store') || directives.includes('no-cache') ? 0 : Number(maxAge ?? 0);
  return Math.min(Math.max(wanted, bounds.minCacheSeconds), bounds.maxCacheSeconds);
}
