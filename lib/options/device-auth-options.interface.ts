import type { Type } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Cluster, Redis } from 'ioredis';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import type { Clock } from '../clock';
import type { GrantType, SwitchedGrantType } from '../protocol/grant-types';
import type { DeviceAuthEventCallbacks } from '../events/device-auth-events';
import type { DeviceAuthMessages, DeviceAuthMessagesOption } from '../messages/messages';

/**
 * A piece of the host's own that the module uses in place of its default (a page renderer, a store,
 * a grant): a class, which Nest creates with its constructor's dependencies, or a ready instance.
 * Each piece's contract is named and checked at start-up by the part of the module that uses it.
 */
export type HostProvided = Type<unknown> | object;

/**
 * What users read for a scope: one text in every language, or texts by BCP 47 language tag. A page
 * shows the text of its language (`de` also for `de-AT`), else English's, else the first one given.
 */
export type ScopeDescriptionText = string | Readonly<Record<string, string>>;

/** The signed-in user as the host knows them. */
export interface DeviceAuthUser {
  id: string;
  /** Shown on the verification page ("Signed in as …"). */
  name?: string;
}

export interface DeviceAuthPaths {
  /**
   * RFC 8628 device authorization endpoint.
   * @default /o/device-authorization/
   */
  deviceAuthorization: string;
  /**
   * RFC 6749 token endpoint.
   * @default /o/token/
   */
  token: string;
  /**
   * The browser page where the user enters and approves a code.
   * @default /oauth/device
   */
  verification: string;
  /**
   * RFC 6749 §3.1 authorization endpoint of the code flow: the consent page.
   * @default /o/authorize/
   */
  authorization: string;
  /**
   * OpenID Connect userinfo endpoint (bearer access token with `openid`).
   * @default /o/userinfo/
   */
  userinfo: string;
  /**
   * RFC 7009 token revocation endpoint.
   * @default /o/revoke/
   */
  revocation: string;
  /**
   * RFC 7662 token introspection endpoint.
   * @default /o/introspect/
   */
  introspection: string;
  /**
   * JSON API where a user (or a CLI with the management scope) creates, lists and revokes PATs.
   * @default /o/personal-access-tokens
   */
  personalAccessTokens: string;
  /**
   * The "API tokens" settings page.
   * @default /settings/tokens
   */
  personalAccessTokensPage: string;
  /**
   * Where secret scanners (e.g. GitHub's partner programme) report leaked tokens; 404 unless `secretScanning` is set.
   * @default /o/secret-scanning/
   */
  secretScanning: string;
  /**
   * RFC 7591 dynamic client registration endpoint; 404 unless `dynamicRegistration` is set.
   * @default /o/register/
   */
  registration: string;
}

export interface DeviceCodeOptions {
  /**
   * Seconds a device code and its user code stay valid.
   * @default 900
   */
  ttl: number;
  /**
   * Minimum seconds between two polls of the token endpoint.
   * @default 5
   */
  interval: number;
  /**
   * Characters a user code is made of (no vowels or look-alikes by default).
   * @default BCDFGHJKLMNPQRSTVWXZ
   */
  userCodeCharset: string;
  /**
   * Number of characters in a user code.
   * @default 8
   */
  userCodeLength: number;
  /**
   * How a user code is shown: each `X` takes one character, anything else is literal.
   * @default XXXX-XXXX
   */
  userCodeMask: string;
  /**
   * Seconds after a device code was exchanged during which polling it again answers with tokens
   * of the same grant (and the same refresh token while it is unused), for a CLI whose answer was
   * lost to a crash or the network. Later, the code is `invalid_grant`. 0 turns it off.
   * @default 60
   */
  repeatPollSeconds: number;
}

export interface AuthorizationCodeOptions {
  /**
   * Seconds a code may wait to be redeemed; at most 600 (RFC 6749 §4.1.2).
   * @default 60
   */
  ttl: number;
  /**
   * Whether a user who already approved the same app for the same (or wider) scopes skips the
   * consent page and returns to the app at once. Off: every sign-in shows the consent page.
   * @default false
   */
  skipConsentWhenApproved: boolean;
}

export interface AccessTokenOptions {
  /**
   * Seconds an access token is valid.
   * @default 3600
   */
  ttl: number;
  /**
   * `aud` claim of issued access tokens; defaults to the issuer.
   * @default the issuer
   */
  audience?: string;
  /**
   * Private signing keys as JWKs (ES256, RS256 or EdDSA), newest first; the first signs.
   * Without them, the module generates an ES256 key once and keeps it in the database.
   * @default generated
   */
  signingKeys?: JsonWebKeyWithKid[];
  /**
   * Seconds a guard may trust a cached "not revoked" for a grant before asking the database
   * again: how long a revoked grant's access tokens can still pass on other instances without `redis`
   * (with it, they hear of the revocation at once). 0 checks on every request.
   * @default 5
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
  /**
   * Seconds a refresh token stays valid when unused.
   * @default 2592000 (30 days)
   */
  ttl: number;
  /**
   * Seconds a whole grant (a family of rotated refresh tokens) may live, however often it is refreshed.
   * @default 7776000 (90 days)
   */
  maxLifetime: number;
  /**
   * Seconds after a rotation during which the spent token may be presented again and returns the
   * same successor (a lost response, two racing refreshes). Later presentation is reuse: the family dies.
   * @default 30
   */
  reuseGraceSeconds: number;
  /**
   * The OpenID Connect rule (OIDC Core §11): a refresh token only when `offline_access` was granted.
   * Off by default: every app registered for refresh_token gets one, as a CLI expects.
   * @default false
   */
  requireOfflineAccess: boolean;
}

export interface PersonalAccessTokenOptions {
  /**
   * Start of every PAT, so secret scanners recognise them: letters/digits and a final `_`.
   * @default bpat_
   */
  prefix: string;
  /**
   * Seconds a new PAT lives when its creator names no expiry.
   * @default 7776000 (90 days)
   */
  defaultTtl: number;
  /**
   * The longest lifetime a creator may choose, in seconds.
   * @default 31622400 (366 days)
   */
  maxTtl: number;
  /**
   * Whether a creator may choose "never expires".
   * @default false
   */
  allowNoExpiry: boolean;
  /**
   * A scope that lets a bearer token (e.g. a CLI's device-flow token) manage its user's PATs
   * through the JSON API. Unset: only the signed-in user (resolveUser) may.
   * @default —
   */
  managementScope?: string;
  /**
   * Seconds a verified PAT is trusted from memory: how long a revocation through another instance takes without `redis`.
   * @default 5
   */
  cacheSeconds: number;
  /**
   * Days before expiry at which the clean-up job emits `personal_access_token.expiring`, once per token and threshold.
   * @default [7, 1]
   */
  expiryWarningDays: number[];
  /**
   * The scopes a PAT may carry at all, each one of `scopes`. Sign-in scopes (`openid`, `profile`,
   * `email`, `address`, `phone`, `offline_access`) mean nothing on a token a script sends to an
   * API, so they are left out unless listed here.
   * @default every configured scope but the sign-in ones
   */
  scopes?: string[];
  /**
   * The scopes a user may put on a PAT, narrowed further to `personalAccessTokens.scopes`.
   * @default personalAccessTokens.scopes
   */
  grantableScopes?: (userId: string) => string[] | Promise<string[]>;
}

export interface CleanupOptions {
  /**
   * Seconds between two purges of expired and spent rows.
   * @default 600
   */
  intervalSeconds: number;
  /**
   * Rows deleted per statement, so a purge never holds long locks.
   * @default 500
   */
  batchSize: number;
}

/** A number of events allowed per key in a fixed window. */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/**
 * Brute-force and flood limits. Every counter lives in one ThrottlerStorage: this process's memory,
 * Redis (`redis`), or the host's (`storage`). A request over a limit gets 429 and `Retry-After`.
 */
export interface RateLimitOptions {
  /**
   * Wrong user codes per signed-in user on the verification page. A right code does not reset the
   * count; past the limit even a right code is refused until the window ends. Opening a code this
   * user already approved or denied, or an expired one, is no guess and not counted.
   * @default 10 per 900 s
   */
  wrongUserCodes: RateLimit;
  /**
   * Wrong user codes per client IP address, whoever is signed in: the wider net for one address
   * signing in to many accounts. Keep it well above `wrongUserCodes`, so one person's typos never
   * lock out others behind the same address; `false` for none.
   * @default 100 per 900 s
   */
  wrongUserCodesPerIp: RateLimit | false;
  /**
   * Wrong secrets per confidential client; past the limit even the right secret is refused until the window ends.
   * @default 10 per 300 s
   */
  wrongClientSecrets: RateLimit;
  /**
   * Device authorization requests per client IP address (each stores a row), or `false`.
   * @default 300 per 60 s
   */
  deviceAuthorizationsPerIp: RateLimit | false;
  /**
   * Token endpoint requests per client IP address, or `false` for none; over it, refused for one window.
   * @default 1200 per 60 s
   */
  tokenRequestsPerIp: RateLimit | false;
  /**
   * Token endpoint requests per authenticated client (all installs of a public CLI share one), or `false`.
   * @default 12000 per 60 s
   */
  tokenRequestsPerClient: RateLimit | false;
  /**
   * Requests to the personal access token API per user, or `false` for none.
   * @default 600 per 60 s
   */
  personalAccessTokenRequests: RateLimit | false;
  /**
   * Dynamic client registrations per client IP address (each stores an app), or `false`.
   * @default 20 per 3600 s
   */
  registrationsPerIp: RateLimit | false;
  /**
   * Authorization requests naming an app by the URL of its client ID metadata document (each may
   * make this server fetch that URL), per client IP address, or `false`.
   * @default 60 per 60 s
   */
  metadataDocumentSignInsPerIp: RateLimit | false;
  /**
   * Where the counters live, e.g. a Redis storage of `@nest-lab/throttler-storage-redis`. Unset: Redis
   * when `redis` is set, else this process's memory; both follow `clock`, a host's storage its own time.
   * @default memory, or Redis with the redis option
   */
  storage?: ThrottlerStorage;
}

/** RFC 9728 metadata of the API this module protects: the resource is `accessToken.audience`. */
export interface ProtectedResourceOptions {
  /**
   * The scopes the metadata lists in `scopes_supported`.
   * @default every scope of options.scopes
   */
  scopesSupported: string[];
  /**
   * The API's human-readable name, `resource_name`.
   * @default —
   */
  resourceName?: string;
}

/** Another API tokens may be asked for with RFC 8707 `resource`, besides `accessToken.audience`. */
export interface AdditionalResourceOptions {
  /**
   * The API's URL (https, or http on a loopback address): the `resource` clients send, the `aud` of
   * its tokens, and where its RFC 9728 metadata lives (the well-known path plus this URL's path).
   * @default —
   */
  resource: string;
  /**
   * The scopes its metadata lists in `scopes_supported`.
   * @default every scope of options.scopes
   */
  scopesSupported?: string[];
  /**
   * The API's human-readable name, `resource_name`.
   * @default —
   */
  resourceName?: string;
}

/** What a token-exchange policy decides on (RFC 8693). */
export interface TokenExchangeRequest {
  /** The app asking, authenticated by its secret; the new token names it as the actor (`act.sub`). */
  clientId: string;
  /** The subject token: whom it speaks for, through which app, with which scopes, for which resource. */
  subject: { userId: string; clientId: string; scopes: string[]; audience: string };
  /** The resource the new token would be for: `resource`, else the subject token's. */
  resource: string;
  /** The scopes the new token would carry, all within the subject token's. */
  scopes: string[];
}

/** Token exchange (RFC 8693): which app may get a token acting for a user, and for which resource. */
export interface TokenExchangeOptions {
  /**
   * The host's policy for each exchange: true lets it through, anything else answers
   * `unauthorized_client`. Only confidential apps registered for the grant ever reach it.
   * @default — (required with tokenExchange)
   */
  mayExchange: (request: TokenExchangeRequest) => boolean | Promise<boolean>;
}

/** The claims of a verified workload token (`iss`, `sub`, `aud` and whatever else its issuer puts in it). */
export type WorkloadClaims = Readonly<{ iss: string; sub: string; aud: string | string[]; [claim: string]: unknown }>;

/**
 * Whom a workload's token speaks for: a user of the host (`userId`) or an app acting for itself
 * (`clientId`, which must then be the app asking), with `scopes` narrowing the issuer's.
 */
export type WorkloadPrincipal = ({ userId: string } | { clientId: string }) & { scopes?: string[] };

/** Who a workload is: the principal by its token's `sub`, or a function of its verified claims (null: nobody). */
export type WorkloadSubjects =
  Readonly<Record<string, WorkloadPrincipal>> | ((claims: WorkloadClaims) => WorkloadPrincipal | null | Promise<WorkloadPrincipal | null>);

/** An issuer of workload identity tokens this server trusts (a CI system's OIDC provider, a cluster's). */
export interface WorkloadIssuerOptions {
  /** Its URL, exactly as its tokens' `iss`: https (http only on a loopback address). */
  issuer: string;
  /** The `aud` its tokens must name for this server; this server's issuer by default. */
  audience?: string;
  /** Its JWK Set (https); read from `${issuer}/.well-known/openid-configuration` when absent. */
  jwksUri?: string;
  /** Who each workload is (see WorkloadSubjects); a token whose subject maps to nobody is refused. */
  subjects: WorkloadSubjects;
  /** The scopes its workloads' tokens may carry; every scope of options.scopes by default. */
  scopes?: string[];
  /** Refuse a token whose `jti` was already used (kept in this process until it expires); true by default. */
  preventReplay?: boolean;
}

/** The JWT bearer grant (RFC 7523 §2.1) for workload identity: tokens of trusted issuers traded for access tokens. */
export interface WorkloadIdentityOptions {
  /** The trusted issuers. */
  issuers: WorkloadIssuerOptions[];
  /** Seconds of clock difference tolerated on `exp`, `nbf` and `iat`; 30 by default. */
  leewaySeconds?: number;
  /** Milliseconds a fetch of an issuer's discovery document or key set may take; 5000 by default. */
  timeoutMs?: number;
}

/** A trusted issuer with every default applied. */
export type ResolvedWorkloadIssuer = Required<Omit<WorkloadIssuerOptions, 'jwksUri'>> & Pick<WorkloadIssuerOptions, 'jwksUri'>;

/** A resource as the module serves and checks it. */
export type DescribedResource = ProtectedResourceOptions & { resource: string };

/** A public key that signs leak reports: PEM of an ECDSA P-256 key, by the identifier reports name. */
export interface SecretScanningKey {
  identifier: string;
  publicKey: string;
}

/** Who may report leaked tokens, and how their reports are verified. */
export interface SecretScanningOptions {
  /**
   * The reporters' public keys (ECDSA P-256 over SHA-256 of the raw body, as GitHub signs).
   * @default []
   */
  keys: SecretScanningKey[];
  /**
   * A URL serving the keys as GitHub does (`{ "public_keys": [{ "key_identifier", "key" }] }`),
   * fetched when a report names a key not known yet, and kept for an hour.
   * @default —
   */
  keysUrl?: string;
}

/** Checks an initial access token a client presented; true lets it register. */
export type InitialAccessTokenCheck = (token: string) => boolean | Promise<boolean>;

/** Who may register apps through the RFC 7591 endpoint, and what those apps may get. */
export interface DynamicRegistrationOptions {
  /**
   * The initial access token (RFC 7591 §3) a client must present as `Authorization: Bearer …`: a
   * string of at least 16 characters the host hands out (compared in constant time), or a function
   * deciding each presented token. Unset: anyone may register.
   * @default — (open registration)
   */
  initialAccessToken?: string | InitialAccessTokenCheck;
  /**
   * The scopes of options.scopes a registered app may get; a request's `scope` must stay within them.
   * @default every scope of options.scopes
   */
  scopes: string[];
}

/**
 * OAuth Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): an app whose
 * `client_id` is an https URL is fetched from that URL and treated as a public partner app.
 */
export interface ClientIdMetadataDocumentOptions {
  /**
   * The most bytes read of a document; a longer one is refused (the draft recommends 5 KB).
   * @default 5120
   */
  maxBytes: number;
  /**
   * Milliseconds a fetch may take from the DNS lookup to the last byte.
   * @default 5000
   */
  timeoutMs: number;
  /**
   * Whether documents may be fetched from private, loopback and link-local addresses, and over http
   * from this machine: for development and tests only, never in production (SSRF).
   * @default false
   */
  allowPrivateAddresses: boolean;
  /**
   * The scopes such apps may ask for (narrowed further by a document's `scope`).
   * @default every scope of options.scopes
   */
  scopes: string[];
  /**
   * Seconds a fetched document is kept at least, whatever its Cache-Control says (`no-store` too).
   * @default 60
   */
  minCacheSeconds: number;
  /**
   * Seconds a fetched document is kept at most, however long its `max-age`.
   * @default 3600
   */
  maxCacheSeconds: number;
}

/** The limits that count every request; each may be `false`. */
export type RequestLimitName =
  | 'deviceAuthorizationsPerIp'
  | 'tokenRequestsPerIp'
  | 'tokenRequestsPerClient'
  | 'personalAccessTokenRequests'
  | 'registrationsPerIp'
  | 'metadataDocumentSignInsPerIp';

/** An ioredis connection, or a Redis Cluster through ioredis. */
export type RedisClient = Redis | Cluster;

export interface RedisOptions {
  /**
   * `redis://` or `rediss://` URL of the Redis every instance shares: the module opens its two
   * connections (commands, pub/sub) with the bounds below and closes them at shutdown. Give this or `client`.
   * @default — (url or client)
   */
  url: string;
  /**
   * The host's own ioredis client or Cluster, used for the counters and publishing. The module never
   * closes it, and its bounds are the host's: set `commandTimeout` (and `enableOfflineQueue: false`)
   * on it, or a Redis that stops answering holds rate-limited requests. Give this or `url`.
   * @default —
   */
  client: RedisClient;
  /**
   * With `client`: the connection to subscribe on (Redis gives pub/sub a connection of its own). The
   * module subscribes and unsubscribes on it, and never closes it.
   * @default client.duplicate(), closed at shutdown
   */
  subscriber: RedisClient;
  /**
   * Start of every key and of the pub/sub channel, so several apps can share one Redis.
   * @default nest-device-auth:
   */
  keyPrefix: string;
  /**
   * With `url`: milliseconds a new connection to Redis may take to open; past it the attempt is dropped and retried.
   * @default 1000
   */
  connectTimeoutMs: number;
  /**
   * With `url`: milliseconds Redis may take to answer a command. Past it, a rate-limited request is answered 503
   * `temporarily_unavailable` and the silent connection is replaced: a Redis that stops answering
   * never holds a request longer than this.
   * @default 500
   */
  commandTimeoutMs: number;
}

/** The `redis` option resolved: the connections the module opens from a URL, or the host's client. */
export type ResolvedRedisOptions =
  | Pick<RedisOptions, 'url' | 'keyPrefix' | 'connectTimeoutMs' | 'commandTimeoutMs'>
  | (Pick<RedisOptions, 'client' | 'keyPrefix'> & { subscriber: RedisClient | null });

/** What a host passes to `DeviceAuthModule.forRoot()`. */
export interface DeviceAuthModuleOptions {
  /**
   * The authorization server's issuer URL, e.g. `https://api.example.com` (required), in printable
   * ASCII (a punycode host, a percent-escaped path): it is the realm of every challenge header.
   * @default required
   */
  issuer: string;
  /**
   * Scope name → the description users see on the approval pages: one text, or texts by language
   * (`{ en: 'Read your profile', de: 'Dein Profil lesen' }`) chosen like the pages' messages.
   * @default {}
   */
  scopes?: Record<string, ScopeDescriptionText>;
  /**
   * Who is signed in to the host for this browser request, or null (required).
   * @default required
   */
  resolveUser: (request: DeviceAuthRequest) => DeviceAuthUser | null | Promise<DeviceAuthUser | null>;
  /**
   * OpenID Connect: the claims of a user for the granted scopes (e.g. `name` for `profile`,
   * `email` for `email`), served by the userinfo endpoint. `sub` is always the user's id.
   * @default no claims
   */
  resolveClaims?: (userId: string, scopes: string[]) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /**
   * The claim names `resolveClaims` may return, listed in `claims_supported` of the discovery document.
   * @default []
   */
  claimsSupported?: string[];
  /**
   * Where a signed-out visitor is sent; `returnTo` brings them back to the same code.
   * @default /login?next=${returnTo}
   */
  loginUrl?: (returnTo: string) => string;
  /**
   * Where "Sign out and use another account" sends its POST (a form, so no other site can sign your
   * users out with a link): the host ends the session and redirects to `returnTo`, a path on this
   * site leading back to the same code or sign-in. Unset: the wrong-account page only says to sign out.
   * @default —
   */
  logoutUrl?: (returnTo: string) => string;
  /**
   * The host's start page, linked from every error page as the way on: a path or an absolute http(s) URL.
   * @default /
   */
  homeUrl?: string;
  /** Where each endpoint and page is mounted, relative to the issuer. */
  paths?: Partial<DeviceAuthPaths>;
  /** The device authorization grant (RFC 8628): code lifetimes, polling, the user code's shape. */
  deviceCode?: Partial<DeviceCodeOptions>;
  /** The authorization-code flow with PKCE: code lifetime and consent. */
  authorizationCode?: Partial<AuthorizationCodeOptions>;
  /** JWT access tokens (RFC 9068): lifetime, audience, signing keys, revocation staleness. */
  accessToken?: Partial<AccessTokenOptions>;
  /** Refresh tokens: lifetimes, rotation grace, the OIDC offline_access rule. */
  refreshToken?: Partial<RefreshTokenOptions>;
  /**
   * Personal access tokens, or `false` to turn them off: no API, no page (both answer 404), and the
   * guard refuses `bpat_` tokens like any unknown token.
   * @default on
   */
  personalAccessTokens?: Partial<PersonalAccessTokenOptions> | false;
  /**
   * The grants this server offers. One left out is absent from the metadata, refused at the token
   * endpoint (`unsupported_grant_type`) and at its own endpoint, and cannot be registered for an app.
   * Token exchange and the JWT bearer grant are switched by their own options, a host's grant by registering it.
   * @default all four
   */
  grantTypes?: SwitchedGrantType[];
  /**
   * The host's own grant types (TokenGrant), registered after the built-in ones and the same way: a
   * class, created by Nest with its constructor's dependencies, or a ready instance. See docs/custom-grants.md.
   * @default []
   */
  grants?: HostProvided[];
  /**
   * The periodic purge of expired rows, or `false` for hosts that run `ExpiredRowsCleaner.purge()` themselves.
   * @default on
   */
  cleanup?: Partial<CleanupOptions> | false;
  /**
   * RFC 9728 protected-resource metadata for the API at `accessToken.audience`, served at
   * `/.well-known/oauth-protected-resource` (plus the audience's path), and named by the guard's
   * challenges (`resource_metadata`), or `false` to serve none.
   * @default on
   */
  protectedResource?: Partial<ProtectedResourceOptions> | false;
  /**
   * Further APIs a client may name with RFC 8707 `resource` on the authorization, device
   * authorization and token requests; a token then carries that API as its `aud`, and only routes
   * marked `@ForResource(<that URL>)` accept it. Without `resource`, tokens are for `accessToken.audience`.
   * @default []
   */
  resources?: AdditionalResourceOptions[];
  /**
   * Token exchange (RFC 8693): an app holding a user's access token gets a token acting for that
   * user (`act`), narrower or for another resource, where `mayExchange` allows it. Unset: the grant is
   * not offered, and nothing may exchange.
   * @default off
   */
  tokenExchange?: TokenExchangeOptions;
  /**
   * The JWT bearer grant (RFC 7523) for workload identity: a CI job or service presents an ID token
   * of a trusted issuer and gets an access token for the user or app its subject maps to, with no
   * stored secret. Unset: the grant is not offered. See docs/workload-identity.md.
   * @default off
   */
  workloadIdentity?: WorkloadIdentityOptions;
  /**
   * An endpoint (`paths.secretScanning`) where secret scanners report leaked PATs and refresh
   * tokens, which are revoked at once. Needs the app created with `{ rawBody: true }`: the
   * signature covers the raw body.
   * @default off
   */
  secretScanning?: Partial<SecretScanningOptions>;
  /**
   * RFC 7591 dynamic client registration at `paths.registration`, listed in the metadata as
   * `registration_endpoint`: clients (agents, MCP clients) register themselves as public partner
   * apps. `true` opens it to anyone, limited per IP; set `initialAccessToken` to require a token.
   * @default off
   */
  dynamicRegistration?: Partial<DynamicRegistrationOptions> | true;
  /**
   * Apps identified by the https URL of their Client ID Metadata Document, fetched when first used
   * (`true` for the defaults). Off: such a `client_id` is an unknown client.
   * @default off
   */
  clientIdMetadataDocuments?: Partial<ClientIdMetadataDocumentOptions> | true;
  /** Limits on wrong codes, wrong secrets and request rates. */
  rateLimits?: Partial<RateLimitOptions>;
  /**
   * Redis shared by every instance: the rate-limit counters live there, and a revocation or an app
   * registration reaches the other instances' caches at once (pub/sub). A `url` the module connects
   * to, or the host's own `client` (ioredis, or a Cluster): one of the two. Unset: this process only.
   * @default —
   */
  redis?: Partial<RedisOptions>;
  /**
   * Whom a per-address limit counts (throttler's `getTracker`): e.g. the first address of
   * `X-Forwarded-For` behind a proxy the platform's trust settings do not cover. Null counts the
   * request under "unknown". Used by every per-IP limit; what is recorded (a PAT's last-used
   * address) stays `request.ip`.
   * @default request.ip
   */
  rateLimitKey?: (request: DeviceAuthRequest) => string | null | Promise<string | null>;
  /**
   * Callbacks for the module's events (the same as subscribing to DeviceAuthEvents).
   * @default —
   */
  events?: DeviceAuthEventCallbacks;
  /**
   * Server secret (at least 32 characters) for HMACs of user codes and CSRF tokens. Without it,
   * the module generates one once and keeps it in the database, so every instance shares it.
   * @default generated
   */
  secret?: string;
  /**
   * The source of "now" for every expiry and interval, in epoch milliseconds: tests move it by hand.
   * @default system clock
   */
  clock?: Clock;
  /**
   * Whether the guard and services are available in every host module without importing this one.
   * @default true
   */
  isGlobal?: boolean;
  /**
   * The name of the TypeORM DataSource the module's tables live in (as given to
   * `TypeOrmModule.forRoot({ name })`). With forRootAsync, pass it beside `useFactory`: it is read
   * when the module is defined. See docs/storage.md.
   * @default the default DataSource
   */
  dataSource?: string;
  /**
   * Stores to replace, by name (`deviceAuthorizations`, `grants`, `authorizationCodes`,
   * `personalAccessTokens`, `clients`, `keys`, `unitOfWork`): a class implementing the store's
   * contract, which Nest creates with its dependencies, or a ready instance. See docs/storage.md.
   * @default TypeORM
   */
  storage?: Readonly<Record<string, HostProvided>>;
  /**
   * The page renderer: a class implementing DeviceAuthPages, which Nest creates with its
   * constructor's dependencies (global providers and the `imports` of forRootAsync), or a ready instance.
   * @default DefaultDeviceAuthPages
   */
  pages?: HostProvided;
  /**
   * The pages' text: keys replacing the English defaults (`{ 'confirm.title': … }`), or a function
   * of the request's Accept-Language header returning them (see `messagesByLanguage`).
   * @default English
   */
  messages?: DeviceAuthMessagesOption;
}

/** The options with every default applied and checked: what `@InjectDeviceAuthOptions()` injects. */
export interface ResolvedDeviceAuthOptions {
  issuer: string;
  scopes: Record<string, ScopeDescriptionText>;
  resolveUser: DeviceAuthModuleOptions['resolveUser'];
  loginUrl: (returnTo: string) => string;
  logoutUrl: ((returnTo: string) => string) | null;
  homeUrl: string;
  resolveClaims: NonNullable<DeviceAuthModuleOptions['resolveClaims']>;
  claimsSupported: string[];
  paths: DeviceAuthPaths;
  deviceCode: DeviceCodeOptions;
  authorizationCode: AuthorizationCodeOptions;
  accessToken: Required<AccessTokenOptions>;
  refreshToken: RefreshTokenOptions;
  personalAccessTokens: PersonalAccessTokenOptions & { enabled: boolean; scopes: string[] };
  grantTypes: GrantType[];
  grants: HostProvided[];
  cleanup: CleanupOptions | false;
  /** With `resource`, the audience it describes; null when turned off. */
  protectedResource: DescribedResource | null;
  /** Every resource tokens may be issued for: `accessToken.audience` first, then `resources`. */
  resources: DescribedResource[];
  tokenExchange: TokenExchangeOptions | null;
  workloadIdentity: { issuers: ResolvedWorkloadIssuer[]; leewaySeconds: number; timeoutMs: number } | null;
  secretScanning: SecretScanningOptions | null;
  /** Null when turned off. */
  dynamicRegistration: DynamicRegistrationOptions | null;
  clientIdMetadataDocuments: ClientIdMetadataDocumentOptions | null;
  rateLimits: RateLimitOptions;
  redis: ResolvedRedisOptions | null;
  rateLimitKey: NonNullable<DeviceAuthModuleOptions['rateLimitKey']> | null;
  storage: Readonly<Record<string, HostProvided>>;
  events: DeviceAuthEventCallbacks;
  secret?: string;
  clock: Clock;
  pages: HostProvided;
  /** The complete table for a request's Accept-Language header. */
  messages: (acceptLanguage: string | undefined) => DeviceAuthMessages;
}
