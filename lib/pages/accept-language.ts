import type { DeviceAuthMessages } from './messages';

/** The languages of an Accept-Language header (RFC 9110 §12.5.4), most preferred first, lower case; `q=0` and `*` left out. */
function preferredLanguages(acceptLanguage: string): string[] {
  return acceptLanguage
    .split(',')
    .map((entry, position) => {
      const [tag, ...parameters] = entry.trim().toLowerCase().split(';');
      const q = parameters.map((parameter) => /^\s*q=([01](\.\d{0,3})?)\s*$/.exec(parameter)?.[1]).find((value) => value !== undefined);
      return { tag: tag.trim(), weight: q === undefined ? 1 : Number(q), position };
    })
    .filter(({ tag, weight }) => tag !== '' && tag !== '*' && weight > 0)
    .sort((a, b) => b.weight - a.weight || a.position - b.position)
    .map(({ tag }) => tag);
}

/**
 * A `messages` option choosing among tables by the request's Accept-Language: the first language
 * the browser prefers that has a table (`de-AT` finds `de`), English (the defaults) when it
 * prefers English or none of them. E.g. `messagesByLanguage({ de: DEVICE_AUTH_MESSAGES_DE })`.
 */
export function messagesByLanguage(
  tables: Record<string, Partial<DeviceAuthMessages>>,
): (acceptLanguage: string | undefined) => Partial<DeviceAuthMessages> {
  const byTag = new Map<string, Partial<DeviceAuthMessages>>([['en', {}]]);
  for (const [tag, table] of Object.entries(tables)) byTag.set(tag.toLowerCase(), table);
  return (acceptLanguage) => {
    for (const tag of preferredLanguages(acceptLanguage ?? '')) {
      const table = byTag.get(tag) ?? byTag.get(tag.split('-')[0]);
      if (table) return table;
    }
    return byTag.get('en') ?? {};
  };
}
