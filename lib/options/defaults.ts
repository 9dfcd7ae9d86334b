import type { DeviceAuthPaths, DeviceCodeOptions, RefreshTokenOptions } from './device-auth-options.interface';

/** The paths of the reference product, so its documented curl commands work as written. */
export const DEFAULT_PATHS: DeviceAuthPaths = {
  deviceAuthorization: '/o/device-authorization/',
  token: '/o/token/',
  verification: '/oauth/device',
};

export const DEFAULT_DEVICE_CODE: DeviceCodeOptions = {
  // RFC 8628 §3.2 example and the reference product: 15 minutes.
  ttl: 900,
  // RFC 8628 §3.5 default when the server sends none.
  interval: 5,
  // RFC 8628 §6.1: no vowels (no words), no digits or look-alikes; 20^8 ≈ 2^34.5 codes.
  userCodeCharset: 'BCDFGHJKLMNPQRSTVWXZ',
  userCodeLength: 8,
  userCodeMask: 'XXXX-XXXX',
};

/** One hour, as in the reference product; short because JWTs are verified without a lookup. */
export const DEFAULT_ACCESS_TOKEN_TTL = 3600;

export const DEFAULT_REFRESH_TOKEN: RefreshTokenOptions = {
  // 30 days, as in the reference product.
  ttl: 30 * 24 * 3600,
};

/** Sign-in page of a host that gives no `loginUrl`. */
export const defaultLoginUrl = (returnTo: string): string => `/login?next=${encodeURIComponent(returnTo)}`;
