/**
 * RFC 9068 §5: an app acting for itself must never be mistaken for a user. User ids are the host's
 * own strings, so a bare client id as `sub` could equal one; an app's `sub` is `client:<client_id>`
 * instead, and no user id may start with this prefix (client ids cannot hold a colon).
 */
export const APP_SUBJECT_PREFIX = 'client:';

/** The `sub` claim of a token: the user's id, or `client:<client_id>` for an app's own token. */
export function subjectClaim(clientId: string, userId: string | null): string {
  if (userId === null) return APP_SUBJECT_PREFIX + clientId;
  if (userId.startsWith(APP_SUBJECT_PREFIX)) {
    throw new Error(`nest-device-auth: user ids must not start with "${APP_SUBJECT_PREFIX}" (it marks an app's own tokens)`);
  }
  return userId;
}

/** The user a `sub` claim names, null for the app's own subject; undefined when `sub` fits neither. */
export function userIdOfSubject(sub: string, clientId: string): string | null | undefined {
  if (!sub.startsWith(APP_SUBJECT_PREFIX)) return sub;
  return sub === APP_SUBJECT_PREFIX + clientId ? null : undefined;
}
