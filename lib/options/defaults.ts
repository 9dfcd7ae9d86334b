import { DEVICE_AUTH_MESSAGES_EN } from '../messages/messages.en';
import type {
  AuthorizationCodeOptions,
  CleanupOptions,
  ClientIdMetadataDocumentOptions,
  DeviceAuthPaths,
  DeviceCodeOptions,
  PersonalAccessTokenOptions,
  RateLimitOptions,
  RedisOptions,
  RefreshTokenOptions,
} from './device-auth-options.interface';

/** The paths of the reference product, so its documented curl commands work as written. */
export const DEFAULT_PATHS: DeviceAuthPaths = {
  deviceAuthorization: '/o/device-authorization/',
  token: '/o/token/',
  verification: '/oauth/device',
  authorization: '/o/authorize/',
  userinfo: '/o/userinfo/',
  revocation: '/o/revoke/',
  introspection: '/o/introspect/',
  personalAccessTokens: '/o/personal-access-tokens',
  personalAccessTokensPage: '/settings/tokens',
  secretScanning: '/o/secret-scanning/',
  registration: '/o/register/',
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
  // A CLI whose answer was lost polls again within a few seconds; a minute also covers a restart.
  repeatPollSeconds: 60,
};

export const DEFAULT_AUTHORIZATION_CODE: AuthorizationCodeOptions = {
  // A code is redeemed by the app right after the redirect; a minute covers any real client.
  ttl: 60,
  // Consent is shown every time unless the host opts in.
  skipConsentWhenApproved: false,
};

export const DEFAULT_ACCESS_TOKEN = {
  // One hour, as in the reference product; short because JWTs are verified without a lookup.
  ttl: 3600,
  // A revoked grant's access tokens pass the guard for at most this long on another instance.
  revocationCacheSeconds: 5,
};

export const DEFAULT_REFRESH_TOKEN: RefreshTokenOptions = {
  // 30 days, as in the reference product.
  ttl: 30 * 24 * 3600,
  // Rotation cannot extend a grant past 90 days; the user signs in again then.
  maxLifetime: 90 * 24 * 3600,
  // Long enough for a retry after a lost response, short enough to catch a thief quickly.
  reuseGraceSeconds: 30,
  // CLIs expect a refresh token with the device flow, asked for or not (the reference product).
  requireOfflineAccess: false,
};

/**
 * Scopes that describe a sign-in (OIDC Core §5.4, §11), not access to an API: no PAT carries them
 * unless `personalAccessTokens.scopes` lists them.
 */
export const SIGN_IN_SCOPES: readonly string[] = ['openid', 'profile', 'email', 'address', 'phone', 'offline_access'];

export const DEFAULT_PERSONAL_ACCESS_TOKENS: PersonalAccessTokenOptions = {
  // The reference product's prefix; distinct from every other token kind.
  prefix: 'bpat_',
  // 90 days unless the creator chooses; a forgotten token does not live for ever.
  defaultTtl: 90 * 24 * 3600,
  maxTtl: 366 * 24 * 3600,
  allowNoExpiry: false,
  // The same staleness as the guard's revocation cache.
  cacheSeconds: 5,
  // A week's notice to renew a token a script depends on, and a last call the day before.
  expiryWarningDays: [7, 1],
};

/**
 * RFC 8628 §5.1: a user code of 20^8 ≈ 2.6·10^10 values lives 15 minutes. At 10 wrong guesses per
 * user per 15 minutes, one account hits a given live code with odds of about 4·10^-10 per code
 * lifetime; a person mistyping a code a few times never meets the limit. An address gets 100 (ten
 * accounts' worth): one person stops at 10, so their typos never lock out others behind the same
 * NAT, while an address farming accounts stays at 4·10^-9 per code. The request limits sit far
 * above what honest clients send (a device polls 12 times a minute: 1,200 a minute is a hundred
 * devices behind one address) and only stop floods.
 */
export const DEFAULT_RATE_LIMITS: RateLimitOptions = {
  wrongUserCodes: { limit: 10, windowSeconds: 15 * 60 },
  wrongUserCodesPerIp: { limit: 100, windowSeconds: 15 * 60 },
  wrongClientSecrets: { limit: 10, windowSeconds: 5 * 60 },
  deviceAuthorizationsPerIp: { limit: 300, windowSeconds: 60 },
  tokenRequestsPerIp: { limit: 1200, windowSeconds: 60 },
  tokenRequestsPerClient: { limit: 12000, windowSeconds: 60 },
  personalAccessTokenRequests: { limit: 600, windowSeconds: 60 },
  // Each registration stores an app for good (there is no expiry), so an address gets few: an agent registers once per install.
  registrationsPerIp: { limit: 20, windowSeconds: 3600 },
  // A person signs in a few times a minute at most; each request may make this server fetch a URL of the caller's choosing.
  metadataDocumentSignInsPerIp: { limit: 60, windowSeconds: 60 },
};

export const DEFAULT_REDIS: Omit<RedisOptions, 'url' | 'client' | 'subscriber'> = {
  // Keys and the invalidation channel start with this in a shared Redis.
  keyPrefix: 'nest-device-auth:',
  // A Redis next to the app connects in milliseconds; a second is slack for TLS and a far zone.
  connectTimeoutMs: 1000,
  // The counters' script answers in well under a millisecond: a Redis silent for half a second is away,
  // and a request waiting on it is answered 503 after this long instead of hanging.
  commandTimeoutMs: 500,
};

export const DEFAULT_CLEANUP: CleanupOptions = {
  intervalSeconds: 600,
  batchSize: 500,
};

export const DEFAULT_CLIENT_ID_METADATA_DOCUMENTS: Omit<ClientIdMetadataDocumentOptions, 'scopes'> = {
  // The draft's recommended cap: a real document is a few hundred bytes.
  maxBytes: 5 * 1024,
  timeoutMs: 5_000,
  allowPrivateAddresses: false,
  // A minute spares the app's server a fetch per request; an hour bounds how stale redirect URIs get.
  minCacheSeconds: 60,
  maxCacheSeconds: 3600,
};

/** Where error pages lead when the host names no `homeUrl`. */
export const DEFAULT_HOME_URL = '/';

/** Sign-in page of a host that gives no `loginUrl`. */
export const defaultLoginUrl = (returnTo: string): string => `/login?next=${encodeURIComponent(returnTo)}`;

/** English for every request; other tables override its keys. */
export const DEFAULT_MESSAGES = DEVICE_AUTH_MESSAGES_EN;

export const DEFAULT_WORKLOAD_IDENTITY = {
  // Clocks of CI runners and this server differ by seconds; a workload token lives minutes.
  leewaySeconds: 30,
  // An issuer's discovery document and keys come from a well-run CDN; five seconds is a broken one.
  timeoutMs: 5000,
};
