import { preferredLanguages } from '../protocol/accept-language';
import type { DeviceAuthMessages } from '../messages/messages';

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
