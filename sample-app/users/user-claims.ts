import type { User } from './user.entity';

/** The sample host's OpenID Connect claims for the granted scopes (OIDC Core §5.4). Sample users have made-up addresses. */
export function userClaims(user: User, scopes: string[]): Record<string, unknown> {
  return {
    ...(scopes.includes('profile') ? { name: user.displayName, preferred_username: user.username } : {}),
    ...(scopes.includes('email') ? { email: `${user.username}@example.com`, email_verified: true } : {}),
  };
}

/** What `claimsSupported` lists for these claims. */
export const USER_CLAIM_NAMES = ['name', 'preferred_username', 'email', 'email_verified'];
