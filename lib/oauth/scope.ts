import { OAuthClient } from '../entities/client.entity';
import { InvalidScopeError } from '../errors/oauth.error';

/** RFC 6749 §3.3: a space-delimited list; no scope requested means everything the client may have. */
export function grantableScope(client: OAuthClient, requested: string | undefined): string {
  if (requested === undefined) return client.scopes.join(' ');
  const scopes = [...new Set(requested.split(' ').filter((scope) => scope !== ''))];
  const refused = scopes.filter((scope) => !client.scopes.includes(scope));
  if (refused.length > 0) throw new InvalidScopeError(`Scope not allowed for this client: ${refused.join(' ')}`);
  return scopes.join(' ');
}
