import type { DeviceAuthRequest } from '../http/device-auth-request';
import type { Clock } from '../clock';
import type { GrantType } from '../grants/grant-types';
import type { DeviceAuthEventCallbacks } from '../events/device-auth-events';

/** The signed-in user as the host knows them. */
export interface DeviceAuthUser {
  id: string;
  /** Shown on the verification page ("Signed in as …"). */
  name?: string;
}

export interface DeviceAuthPaths {
  /** RFC 8628 device authorization endpoint. */
  deviceAuthorization: string;
  /** RFC 6749 token endpoint. */
  token: string;
  /** The browser page where the user enters and approves a code. */
  verification: string;
  /** RFC 6749 §3.1 authorization endpoint of the code flow: the consent page. */
  authorization: string;
  /** OpenID Connect userinfo endpoint (bearer access token with `openid`). */
  userinfo: string;
  /** RFC 7009 token revocation endpoint. */
  revocation: string;
  /** RFC 7662 token introspection endpoint. */
  introspection: string;
  /** JSON API where a user (or a CLI with the management scope) creates, lists and revokes PATs. */
  personalAccessTokens: string;
  /** The "API tokens" settings page. */
  personalAccessTokensPage: string;
}

export interface DeviceCodeOptions {
  /** Seconds a device code and its user code stay valid. */
  ttl: number;
  /** Minimum seconds between two polls of the token endpoint. */
  interval: number;
  /** Characters a user code is made of (no vowels or look-alikes by default). */
  userCodeCharset: string;
  /** Number of characters in a user code. */
  userCodeLength: number;
  /** How a user code is shown: each `X` takes one character, anything else is literal. */
  userCodeMask: string;
}

export interface AuthorizationCodeOptions {
  /** Seconds a code may wait to be redeemed; at most 600 (RFC 6749 §4.1.2). */
  ttl: number;
  /**
   * Whether a user who already approved the same app for the same (or wider) scopes skips the
   * consent page and returns to the app at once. Off: every sign-in shows the consent page.
   */
  skipConsentWhenApproved: boolean;
}

export interface AccessTokenOptions {
  /** Seconds an access token is valid. */
  ttl: number;
  /** `aud` claim of issued access tokens; defaults to the issuer. */
  audience?: string;
  /**
   * Private signing keys as JWKs (ES256, RS256 or EdDSA), newest first; the first signs.
   * Without them, the module generates an ES256 key once and keeps it in the database.
   */
  signingKeys?: JsonWebKeyWithKid[];
  /**
   * Seconds a guard may trust a cached "not revoked" for a grant before asking the database
   * again: how long a revoked grant's access tokens can still pass. 0 checks on every request.
   */
  revocationCacheSeconds: number;
}

export interface JsonWebKeyWithKid {
  kid: string;
  kty: string;
  alg?: string;
  [parameter: string]: unknown;
}

export interface RefreshTokenOptions {
  /** Seconds a refresh token stays valid when unused. */
  ttl: number;
  /** Seconds a whole grant (a family of rotated refresh tokens) may live, however often it is refreshed. */
  maxLifetime: number;
  /**
   * Seconds after a rotation during which the spent token may be presented again and returns the
   * same successor (a lost response, two racing refreshes). Later presentation is reuse: the family dies.
   */
  reuseGraceSeconds: number;
  /**
   * The OpenID Connect rule (OIDC Core §11): a refresh token only when `offline_access` was granted.
   * Off by default: every app registered for refresh_token gets one, as a CLI expects.
   */
  requireOfflineAccess: boolean;
}

export interface PersonalAccessTokenOptions {
  /**
   * Whether PATs exist at all. `personalAccessTokens: false` turns them off: no API, no page
   * (both answer 404), and the guard refuses `bpat_` tokens like any unknown token.
   * @default true
   */
  enabled: boolean;
  /** Start of every PAT, so secret scanners recognise them: letters/digits and a final `_`. */
  prefix: string;
  /** Seconds a new PAT lives when its creator names no expiry. */
  defaultTtl: number;
  /** The longest lifetime a creator may choose, in seconds. */
  maxTtl: number;
  /** Whether a creator may choose "never expires". */
  allowNoExpiry: boolean;
  /**
   * A scope that lets a bearer token (e.g. a CLI's device-flow token) manage its user's PATs
   * through the JSON API. Unset: only the signed-in user (resolveUser) may.
   */
  managementScope?: string;
  /** Seconds a verified PAT is trusted from memory; a revocation through another instance takes this long. */
  cacheSeconds: number;
  /** The scopes a user may put on a PAT; all configured scopes by default. */
  grantableScopes?: (userId: string) => string[] | Promise<string[]>;
}

export interface CleanupOptions {
  /** Seconds between two purges of expired and spent rows. */
  intervalSeconds: number;
  /** Rows deleted per statement, so a purge never holds long locks. */
  batchSize: number;
}

/** What a host passes to `DeviceAuthModule.forRoot()`. */
export interface DeviceAuthModuleOptions {
  /** The authorization server's issuer URL, e.g. `https://api.example.com` (required). */
  issuer: string;
  /** Scope name → description shown to users on the approval page. */
  scopes?: Record<string, string>;
  /** Who is signed in to the host for this browser request, or null (required). */
  resolveUser: (request: DeviceAuthRequest) => DeviceAuthUser | null | Promise<DeviceAuthUser | null>;
  /**
   * OpenID Connect: the claims of a user for the granted scopes (e.g. `name` for `profile`,
   * `email` for `email`), served by the userinfo endpoint. `sub` is always the user's id.
   */
  resolveClaims?: (userId: string, scopes: string[]) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** The claim names `resolveClaims` may return, listed in `claims_supported` of the discovery document. */
  claimsSupported?: string[];
  /** Where a signed-out visitor is sent; `returnTo` brings them back to the same code. */
  loginUrl?: (returnTo: string) => string;
  paths?: Partial<DeviceAuthPaths>;
  deviceCode?: Partial<DeviceCodeOptions>;
  authorizationCode?: Partial<AuthorizationCodeOptions>;
  accessToken?: Partial<AccessTokenOptions>;
  refreshToken?: Partial<RefreshTokenOptions>;
  personalAccessTokens?: Partial<Omit<PersonalAccessTokenOptions, 'enabled'>> | false;
  /**
   * The grants this server offers. One left out is absent from the metadata, refused at the token
   * endpoint (`unsupported_grant_type`) and at its own endpoint, and cannot be registered for an app.
   * @default all four: the device code, authorization code, refresh token and client credentials grants
   */
  grantTypes?: GrantType[];
  /** The periodic purge of expired rows, or `false` for hosts that run `ExpiredRowsCleaner.purge()` themselves. */
  cleanup?: Partial<CleanupOptions> | false;
  /** Callbacks for the module's events (the same as subscribing to DeviceAuthEvents). */
  events?: DeviceAuthEventCallbacks;
  /**
   * Server secret (at least 32 characters) for HMACs of user codes and CSRF tokens. Without it,
   * the module generates one once and keeps it in the database, so every instance shares it.
   */
  secret?: string;
  clock?: Clock;
}

/** The options with every default applied and checked: what `@InjectDeviceAuthOptions()` injects. */
export interface ResolvedDeviceAuthOptions {
  issuer: string;
  scopes: Record<string, string>;
  resolveUser: DeviceAuthModuleOptions['resolveUser'];
  loginUrl: (returnTo: string) => string;
  resolveClaims: NonNullable<DeviceAuthModuleOptions['resolveClaims']>;
  claimsSupported: string[];
  paths: DeviceAuthPaths;
  deviceCode: DeviceCodeOptions;
  authorizationCode: AuthorizationCodeOptions;
  accessToken: Required<AccessTokenOptions>;
  refreshToken: RefreshTokenOptions;
  personalAccessTokens: PersonalAccessTokenOptions;
  grantTypes: GrantType[];
  cleanup: CleanupOptions | false;
  events: DeviceAuthEventCallbacks;
  secret?: string;
  clock: Clock;
}
