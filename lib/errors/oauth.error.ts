import { HttpException } from '@nestjs/common';
import { bearerChallenge } from '../protocol/bearer-challenge';
import { BASIC_CHALLENGE, type OAuthErrorBody, type OAuthErrorCode, type OAuthErrorHeaders } from '../protocol/oauth-error';

/**
 * An error a client sees as `{ error, error_description }` JSON. Extra response headers
 * (WWW-Authenticate) travel with it so the exception filter can set them.
 */
export class OAuthError extends HttpException {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    status = 400,
    readonly headers: OAuthErrorHeaders = {},
  ) {
    const body: OAuthErrorBody = { error, error_description: description };
    super(body, status);
  }
}

export class InvalidRequestError extends OAuthError {
  constructor(description: string) {
    super('invalid_request', description);
  }
}

export class InvalidClientError extends OAuthError {
  /** 401 with a Basic challenge when the client tried the Authorization header (RFC 6749 §5.2). */
  constructor(description: string, usedBasicAuth = false) {
    super('invalid_client', description, 401, usedBasicAuth ? { 'WWW-Authenticate': BASIC_CHALLENGE } : {});
  }
}

export class InvalidGrantError extends OAuthError {
  constructor(description: string) {
    super('invalid_grant', description);
  }
}

export class UnauthorizedClientError extends OAuthError {
  constructor(description: string) {
    super('unauthorized_client', description);
  }
}

export class UnsupportedGrantTypeError extends OAuthError {
  constructor(description: string) {
    super('unsupported_grant_type', description);
  }
}

export class InvalidScopeError extends OAuthError {
  constructor(description: string) {
    super('invalid_scope', description);
  }
}

/** RFC 8707 §2: the `resource` asked for is not one this server issues tokens for, or not for this grant. */
export class InvalidTargetError extends OAuthError {
  constructor(description: string) {
    super('invalid_target', description);
  }
}

/** RFC 6750 §3.1: 401 with a Bearer challenge, which names no error when no token was presented at all. */
export class InvalidTokenError extends OAuthError {
  constructor(realm: string, description: string, tokenPresented: boolean) {
    super('invalid_token', description, 401, {
      'WWW-Authenticate': bearerChallenge(realm, tokenPresented ? { error: 'invalid_token' } : {}),
    });
  }
}

/** RFC 7591 §3.2.2: a redirect URI the server does not accept for a new app. */
export class InvalidRedirectUriError extends OAuthError {
  constructor(description: string) {
    super('invalid_redirect_uri', description);
  }
}

/** RFC 7591 §3.2.2: a value of the registration request's client metadata the server refuses. */
export class InvalidClientMetadataError extends OAuthError {
  constructor(description: string) {
    super('invalid_client_metadata', description);
  }
}

/** 429: a rate limit was reached (wrong secrets, request floods); RFC 6749 has no code for it, RFC 8628's slow_down says "wait". */
export class TooManyRequestsError extends OAuthError {
  constructor(what: string, retryAfterSeconds: number) {
    super('slow_down', `${what}; retry in ${retryAfterSeconds} seconds`, 429, { 'Retry-After': `${retryAfterSeconds}` });
  }
}

export class AuthorizationPendingError extends OAuthError {
  constructor() {
    super('authorization_pending', 'The user has not yet approved this request');
  }
}

export class SlowDownError extends OAuthError {
  constructor(intervalSeconds: number) {
    super('slow_down', `Polling too fast: wait at least ${intervalSeconds} seconds between requests`);
  }
}

export class AccessDeniedError extends OAuthError {
  constructor() {
    super('access_denied', 'The user denied this request');
  }
}

export class ExpiredTokenError extends OAuthError {
  constructor() {
    super('expired_token', 'The device code has expired; start a new device authorization');
  }
}
