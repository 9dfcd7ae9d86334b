/** The value, or a failure naming what was missing: a test's answer to "this must be here". */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`expected ${what}, found none`);
  return value;
}
