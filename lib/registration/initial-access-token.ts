import type { DynamicRegistrationOptions, InitialAccessTokenCheck } from '../options/device-auth-options.interface';
import { safeEqual, sha256Hex } from '../tokens/hashing';

/** The check of `dynamicRegistration.initialAccessToken`, or null when registration is open to anyone. */
export function initialAccessTokenCheck(option: DynamicRegistrationOptions['initialAccessToken']): InitialAccessTokenCheck | null {
  if (option === undefined) return null;
  if (typeof option === 'function') return option;
  // Digests have one length, so the comparison takes the same time whatever length was presented.
  const expected = sha256Hex(option);
  return (token) => safeEqual(sha256Hex(token), expected);
}
