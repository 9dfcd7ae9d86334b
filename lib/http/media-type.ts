import type { DeviceAuthRequest } from './device-auth-request';

/** The only body the OAuth endpoints accept (RFC 6749 §3.2), and where RFC 6750 §2.2 allows a bearer token. */
export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/**
 * Whether the body is of this media type in UTF-8, the only charset RFC 6749 Appendix B (forms) and
 * RFC 8259 (JSON) allow; a body declared in another charset would be read as something else.
 */
export function hasMediaType(request: DeviceAuthRequest, mediaType: string): boolean {
  if (mediaTypeOf(request) !== mediaType) return false;
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
  return charset === undefined || charset.toLowerCase() === 'utf-8';
}

/** Whether the body is a UTF-8 form: what every POST of the module's pages and OAuth endpoints must send. */
export const isFormBody = (request: DeviceAuthRequest): boolean => hasMediaType(request, FORM_MEDIA_TYPE);

/** The request body's media type without parameters, lower-cased (`application/json`), or undefined. */
export function mediaTypeOf(request: DeviceAuthRequest): string | undefined {
  return request.headers['content-type']?.split(';')[0].trim().toLowerCase();
}
