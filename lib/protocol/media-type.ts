import type { DeviceAuthRequest } from './device-auth-request';

/** The only body the OAuth endpoints accept (RFC 6749 §3.2), and where RFC 6750 §2.2 allows a bearer token. */
export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/**
 * Whether the body is of this media type in UTF-8, the only charset RFC 6749 Appendix B (forms) and
 * RFC 8259 (JSON) allow; a body declared in another charset would be read as something else.
 */
export function hasMediaType(request: DeviceAuthRequest, mediaType: string): boolean {
  if (mediaTypeOf(request) !== mediaType) return false;
  const charset = charsetOf(request);
  return charset === undefined || charset === 'utf-8';
}

/**
 * The declared charset, unquoted and lower-cased; `''` when named empty (`charset=`, which a
 * parser may read as none, so it must not pass for UTF-8), undefined when not named.
 */
function charsetOf(request: DeviceAuthRequest): string | undefined {
  const value = /;\s*charset\s*=([^;]*)/i.exec(request.headers['content-type'] ?? '')?.[1];
  return value
    ?.trim()
    .replace(/^"(.*)"$/, '$1')
    .toLowerCase();
}

/** Whether the body is a UTF-8 form: what every POST of the module's pages and OAuth endpoints must send. */
export const isFormBody = (request: DeviceAuthRequest): boolean => hasMediaType(request, FORM_MEDIA_TYPE);

/** The request body's media type without parameters, lower-cased (`application/json`), or undefined. */
export function mediaTypeOf(request: DeviceAuthRequest): string | undefined {
  return request.headers['content-type']?.split(';')[0].trim().toLowerCase();
}
