import { OAuthError } from '../errors/oauth.error';
import type { ChallengeDescription } from '../protocol/challenge-descriptions';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { hasBody } from '../protocol/has-body';
import { isFormBody } from '../protocol/media-type';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { resourceChallenge } from '../resource/protected-resource-metadata';

const UNREAD_BODY: ChallengeDescription = 'Send no body, or a UTF-8 application/x-www-form-urlencoded one on POST';

/**
 * Whether userinfo would have to ignore the body: all it reads there is a token in a UTF-8 form on
 * POST (RFC 6750 §2.2). Anything else (JSON, text, multipart, another charset, a body on GET) is
 * refused alike on Express and Fastify, whose parsers would otherwise accept different ones.
 */
function isUnreadBody(request: DeviceAuthRequest): boolean {
  if (request.method !== 'POST') return hasBody(request);
  return request.headers['content-type'] === undefined ? hasBody(request) : !isFormBody(request);
}

/** 400 `invalid_request` with the challenge the guard of that route would send, for a body userinfo does not read. */
export function refuseUnreadBody(options: ResolvedDeviceAuthOptions, request: DeviceAuthRequest): void {
  if (!isUnreadBody(request)) return;
  throw new OAuthError('invalid_request', UNREAD_BODY, 400, {
    'WWW-Authenticate': resourceChallenge(options, { error: 'invalid_request', error_description: UNREAD_BODY }),
  });
}
