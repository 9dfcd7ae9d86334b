import type { DeviceAuthRequest } from './device-auth-request';
import { hasBody } from './has-body';
import { FORM_MEDIA_TYPE, mediaTypeOf } from './media-type';

/** What a request presents as a bearer token (RFC 6750 §2). */
export type PresentedBearer = { outcome: 'absent' } | { outcome: 'malformed' } | { outcome: 'token'; token: string };

const ABSENT: PresentedBearer = { outcome: 'absent' };
const MALFORMED: PresentedBearer = { outcome: 'malformed' };

/**
 * The `Authorization` header: `Bearer <token>` (scheme in any case, one space, one token) is a
 * token; another scheme is none; anything else (two spaces, two tokens) is malformed.
 */
export function bearerFromHeader(header: string | undefined): PresentedBearer {
  if (header === undefined) return ABSENT;
  const parts = header.split(' ');
  if (parts.length !== 2) return MALFORMED;
  const [scheme, token] = parts;
  if (!/^bearer$/i.test(scheme)) return ABSENT;
  return token === '' ? MALFORMED : { outcome: 'token', token };
}

/**
 * The one bearer-token reader of the guard, the passport strategy and the PAT API. The header, or
 * `access_token` in a form-encoded non-GET body (RFC 6750 §2.2); never the query string, since
 * tokens in URLs leak into logs and Referer headers (RFC 9700 §2.5). Both at once is malformed.
 */
export function presentedBearer(request: DeviceAuthRequest): PresentedBearer {
  // A form body on a GET can only be a misplaced token (RFC 6750 §2.2). Fastify never parses a GET
  // body, so its presence decides, on either platform.
  if (request.method === 'GET' && mediaTypeOf(request) === FORM_MEDIA_TYPE && hasBody(request)) return MALFORMED;
  const fromHeader = bearerFromHeader(request.headers.authorization);
  const bodyToken = (request.body as Record<string, unknown> | undefined)?.access_token;
  if (bodyToken === undefined) return fromHeader;
  if (mediaTypeOf(request) !== FORM_MEDIA_TYPE || typeof bodyToken !== 'string') return MALFORMED;
  if (fromHeader.outcome !== 'absent') return MALFORMED;
  return bodyToken === '' ? ABSENT : { outcome: 'token', token: bodyToken };
}
