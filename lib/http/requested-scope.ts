import { InvalidScopeError } from '../errors/oauth.error';
import { scopeList } from '../protocol/scope';

/**
 * RFC 6749 §3.3 / §6: the requested space-delimited scopes if all fall within `allowed`; no
 * request means all of `allowed`; anything wider is invalid_scope.
 */
export function scopeWithin(allowed: string[], requested: string | undefined): string {
  if (requested === undefined) return allowed.join(' ');
  const scopes = scopeList(requested);
  const refused = scopes.filter((scope) => !allowed.includes(scope));
  if (refused.length > 0) throw new InvalidScopeError(`Scope not allowed: ${refused.join(' ')}`);
  return scopes.join(' ');
}
