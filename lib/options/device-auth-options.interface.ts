import type { Request } from 'express';
import type { Clock } from '../clock';

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
}

/** What a host passes to `DeviceAuthModule.forRoot()`. */
export interface DeviceAuthModuleOptions {
  /** The authorization server's issuer URL, e.g. `https://api.example.com` (required). */
  issuer: string;
  /** Scope name → description shown to users on the approval page. */
  scopes?: Record<string, string>;
  /** Who is signed in to the host for this browser request, or null (required). */
  resolveUser: (request: Request) => DeviceAuthUser | null | Promise<DeviceAuthUser | null>;
  /** Where a signed-out visitor is sent; `returnTo` brings them back to the same code. */
  loginUrl?: (returnTo: string) => string;
  paths?: Partial<DeviceAuthPaths>;
  deviceCode?: Partial<DeviceCodeOptions>;
  accessToken?: Partial<AccessTokenOptions>;
  refreshToken?: Partial<RefreshTokenOptions>;
  /**
   * Server secret (at least 32 characters) for HMACs of user codes and CSRF tokens. Without it,
   * the module generates one once and keeps it in the database, so every instance shares it.
   */
  secret?: string;
  clock?: Clock;
}

/** The options with every default applied, as the rest of the module reads them. */
export interface ResolvedDeviceAuthOptions {
  issuer: string;
  scopes: Record<string, string>;
  resolveUser: DeviceAuthModuleOptions['resolveUser'];
  loginUrl: (returnTo: string) => string;
  paths: DeviceAuthPaths;
  deviceCode: DeviceCodeOptions;
  accessToken: AccessTokenOptions & { audience: string; signingKeys: JsonWebKeyWithKid[] };
  refreshToken: RefreshTokenOptions;
  secret?: string;
  clock: Clock;
}
