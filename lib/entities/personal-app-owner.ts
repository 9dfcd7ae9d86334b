import type { OAuthClient } from './client.entity';

/**
 * The personal-app rule, in one place: a personal app is bound to exactly one user, who alone may
 * approve its requests and whom alone its tokens may speak for. Partner apps serve any user.
 */
export function mayActFor(client: OAuthClient, userId: string): boolean {
  return client.mode !== 'personal' || client.ownerUserId === userId;
}
