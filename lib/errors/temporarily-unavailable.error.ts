import { OAuthError } from './oauth.error';

/** What a client is told to wait while the database is away: short, as most outages are a restart or a failover. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/**
 * 503 `temporarily_unavailable` (RFC 6749 §4.1.2.1): the server cannot answer now, though the
 * request may well be valid, so a client retries it after `Retry-After` instead of giving up.
 */
export class TemporarilyUnavailableError extends OAuthError {
  constructor() {
    super('temporarily_unavailable', `The service is temporarily unavailable; retry in ${OUTAGE_RETRY_AFTER_SECONDS} seconds`, 503, {
      'Retry-After': `${OUTAGE_RETRY_AFTER_SECONDS}`,
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
    });
  }
}

/** What sets a header on the platform's response (HttpResponses). */
interface ResponseHeaders {
  setHeader(response: unknown, name: string, value: string): void;
}

/**
 * The 503 for a JSON answer, its headers already on the response, so whichever exception filter
 * writes it (the module's OAuth filter, or the host's on a guarded route) keeps them.
 */
export function temporarilyUnavailable(responses: ResponseHeaders, response: unknown): TemporarilyUnavailableError {
  const error = new TemporarilyUnavailableError();
  for (const [name, value] of Object.entries(error.headers)) responses.setHeader(response, name, value);
  return error;
}
