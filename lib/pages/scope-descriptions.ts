import type { ResolvedDeviceAuthOptions, ScopeDescriptionText } from '../options/device-auth-options.interface';
import type { ScopeDescription } from './device-auth-pages';

/**
 * The text for a page in `language` (a BCP 47 tag): its own, else its base language's (`de` for
 * `de-AT`, or a sibling such as `de-CH`), else English's, else the first one given.
 */
export function describedIn(text: ScopeDescriptionText, language: string): string {
  if (typeof text === 'string') return text;
  const entries = Object.entries(text).map(([tag, value]) => [tag.toLowerCase(), value] as const);
  const find = (tag: string): string | undefined =>
    (entries.find(([key]) => key === tag) ?? entries.find(([key]) => key.split('-')[0] === tag))?.[1];
  const wanted = language.toLowerCase();
  return find(wanted) ?? find(wanted.split('-')[0]) ?? find('en') ?? entries[0][1];
}

/** Scopes as a page in `language` lists them; a scope the server does not describe shows its name. */
export function describeScopes(scopes: ResolvedDeviceAuthOptions['scopes'], names: string[], language: string): ScopeDescription[] {
  return names.map((name) => ({ name, description: Object.hasOwn(scopes, name) ? describedIn(scopes[name], language) : name }));
}
