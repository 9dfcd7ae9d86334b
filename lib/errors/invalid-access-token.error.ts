import type { InvalidTokenDescription } from '../protocol/challenge-descriptions';

/**
 * Thrown for any access token that must be refused. Its message is one of a fixed set, so the
 * guard's `invalid_token` challenge can carry it: nothing of the token itself ever does.
 */
export class InvalidAccessTokenError extends Error {
  constructor(readonly description: InvalidTokenDescription) {
    super(description);
  }
}
