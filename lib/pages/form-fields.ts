/** A single string form or query value, or undefined for anything else (arrays, objects). */
export function field(source: unknown, name: string): string | undefined {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * True when `name` was sent in some shape other than one string: repeated (`a=1&a=2`), or as an
 * array or object (`a[]=1`, `a[b]=1`). Depending on the host's query and body parsers those arrive
 * as an array, an object, or a key literally named `a[]`, so all three are checked.
 */
export function isMalformed(source: unknown, name: string): boolean {
  if (source === null || typeof source !== 'object') return false;
  const record = source as Record<string, unknown>;
  const value = record[name];
  if (value !== undefined && typeof value !== 'string') return true;
  return hasBracketedKey(record, name);
}

/** `a[]=` or `a[b]=` sent as a key of its own, as Fastify's form parser keeps them. */
export function hasBracketedKey(source: unknown, name: string): boolean {
  return source !== null && typeof source === 'object' && Object.keys(source).some((key) => key.startsWith(`${name}[`));
}
