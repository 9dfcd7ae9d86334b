import type { DeviceAuthRequest } from './device-auth-request';

/** The only body the OAuth endpoints accept (RFC 6749 §3.2), and where RFC 6750 §2.2 allows a bearer token. */
export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/** The request body's media type without parameters, lower-cased (`application/json`), or undefined. */
export function mediaTypeOf(request: DeviceAuthRequest): string | undefined {
  return request.headers['content-type']?.split(';')[0].trim().toLowerCase();
}
