import { Injectable, Logger } from '@nestjs/common';
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { fetchMetadataDocument } from '../http/metadata-document-fetcher';
import { InvalidGrantError, UnauthorizedClientError } from '../errors/oauth.error';
import { TemporarilyUnavailableError } from '../errors/temporarily-unavailable.error';
import { requiredParameter } from '../http/form-parameters';
import { scopeWithin } from '../http/requested-scope';
import type {
  ResolvedDeviceAuthOptions,
  ResolvedWorkloadIssuer,
  WorkloadClaims,
  WorkloadPrincipal,
} from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { isWorkloadPrincipal } from '../options/resolve-options';
import { isHttpsOrLocal } from '../protocol/url-rules';
import { requestedResource } from '../resource/resource-indicator';
import type { TokenResponse } from '../protocol/token-response';
import { TokenIssuer } from '../tokens/token-issuer.service';
import type { TokenGrant, TokenRequest } from './token-grant.interface';

/** RFC 7523 §2.1 grant type URN. */
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Signatures only a key pair makes: a shared secret (HS256) or none would let anyone holding the JWKS forge. */
const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** What is wrong with the assertion itself, as opposed to this server failing to fetch the issuer's keys. */
const ASSERTION_PROBLEMS = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
]);

/** A discovery document is a few kilobytes; anything near this is not one. */
const MAX_DISCOVERY_BYTES = 64 * 1024;

/** How often the used token ids are swept of the expired ones. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * RFC 7523 §2.1 for workload identity: a CI job or service presents an ID token of an issuer the host
 * trusts (`assertion`) and gets an access token for the user or app its subject maps to, so it keeps
 * no secret. The token is checked per §3 (issuer, audience, times, an asymmetric signature by the
 * issuer's published keys, its `jti` used once); no refresh token: the workload asks again. The
 * request comes from an app registered for this grant, public ones too: the assertion is the credential.
 */
@Injectable()
export class JwtBearerGrant implements TokenGrant {
  readonly grantType = JWT_BEARER_GRANT_TYPE;
  readonly parameters = ['assertion', 'scope', 'resource'];
  readonly clientTypes = ['public', 'confidential'] as const;
  readonly issuesRefreshTokens = false;
  readonly needsUser = false;
  private readonly logger = new Logger('DeviceAuthWorkloadIdentity');
  /** Each issuer's key set, fetched once and refreshed by jose (an unknown `kid` refetches, at most every 30 s). */
  private readonly keySets = new Map<string, Promise<JWTVerifyGetKey>>();
  /** Used token ids (issuer and jti) until their token expires: in this process only. */
  private readonly used = new Map<string, number>();
  private sweptAt = 0;

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly issuer: TokenIssuer,
  ) {}

  /** Offered exactly when the host trusts an issuer (`workloadIdentity`). */
  offered(): boolean {
    return this.options.workloadIdentity !== null;
  }

  async handle({ client, parameters }: TokenRequest): Promise<TokenResponse> {
    const assertion = requiredParameter(parameters, 'assertion');
    const trusted = this.trustedIssuerOf(assertion);
    const claims = await this.verified(assertion, trusted);
    const principal = await this.principalOf(trusted, claims);
    if (principal === null) throw new InvalidGrantError(`The subject ${claims.sub.slice(0, 200)} is not mapped to a user or app`);
    if ('clientId' in principal && principal.clientId !== client.clientId) {
      throw new UnauthorizedClientError('This workload speaks for another app: ask with its client_id');
    }
    const allowed = (principal.scopes ?? trusted.scopes).filter((scope) => trusted.scopes.includes(scope) && client.scopes.includes(scope));
    const asked = { scope: scopeWithin(allowed, parameters.scope), resource: requestedResource(this.options, parameters.resource) };
    this.spend(trusted, claims);
    return 'userId' in principal
      ? this.issuer.issueUserToken(client, { ...asked, userId: principal.userId }, this.grantType)
      : this.issuer.issueAppToken(client, asked, this.grantType);
  }

  /** The configured issuer the (not yet verified) assertion names: no keys are fetched for anyone else. */
  private trustedIssuerOf(assertion: string): ResolvedWorkloadIssuer {
    let iss: unknown;
    try {
      iss = decodeJwt(assertion).iss;
    } catch {
      throw new InvalidGrantError('The assertion is not a JWT');
    }
    const trusted = this.options.workloadIdentity?.issuers.find((entry) => entry.issuer === iss);
    if (!trusted) throw new InvalidGrantError('The assertion was not issued by a trusted issuer');
    return trusted;
  }

  private async verified(assertion: string, trusted: ResolvedWorkloadIssuer): Promise<WorkloadClaims> {
    const { leewaySeconds } = this.workloadIdentity;
    const now = this.options.clock.now();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(assertion, await this.keysOf(trusted), {
        issuer: trusted.issuer,
        audience: trusted.audience,
        algorithms: ASYMMETRIC_ALGORITHMS,
        currentDate: new Date(now),
        clockTolerance: leewaySeconds,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      if (error instanceof errors.JOSEError && ASSERTION_PROBLEMS.has(error.code))
        throw new InvalidGrantError(`The assertion is not valid: ${error.message}`);
      throw this.unavailable(trusted, error);
    }
    if (typeof payload.sub !== 'string') throw new InvalidGrantError('The assertion names no subject (sub)');
    // jose checks `iat` only against a maximum age; one from the future is as suspect as an early `nbf`.
    if (payload.iat !== undefined && payload.iat > now / 1000 + leewaySeconds)
      throw new InvalidGrantError('The assertion was issued in the future');
    return payload as WorkloadClaims;
  }

  private keysOf(trusted: ResolvedWorkloadIssuer): Promise<JWTVerifyGetKey> {
    let keys = this.keySets.get(trusted.issuer);
    if (keys === undefined) {
      keys = this.jwksUriOf(trusted).then((uri) => createRemoteJWKSet(uri, { timeoutDuration: this.workloadIdentity.timeoutMs }));
      // A failed discovery is asked again by the next request rather than remembered.
      keys.catch(() => this.keySets.delete(trusted.issuer));
      this.keySets.set(trusted.issuer, keys);
    }
    return keys;
  }

  /** The configured `jwksUri`, or the `jwks_uri` of the issuer's OpenID discovery document, which must name the same issuer. */
  private async jwksUriOf({ issuer, jwksUri }: ResolvedWorkloadIssuer): Promise<URL> {
    if (jwksUri !== undefined) return new URL(jwksUri);
    const location = new URL(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
    const limits = { maxBytes: MAX_DISCOVERY_BYTES, timeoutMs: this.workloadIdentity.timeoutMs, allowPrivateAddresses: true };
    const { document } = await fetchMetadataDocument(location, limits);
    const discovered = document as { issuer?: unknown; jwks_uri?: unknown } | null;
    if (discovered?.issuer !== issuer) throw new Error(`${location.href} names another issuer (OpenID Connect Discovery §4.3)`);
    const uri = discovered.jwks_uri;
    if (typeof uri !== 'string' || !URL.canParse(uri) || !isHttpsOrLocal(new URL(uri)))
      throw new Error(`${location.href} has no https jwks_uri`);
    return new URL(uri);
  }

  private async principalOf(trusted: ResolvedWorkloadIssuer, claims: WorkloadClaims): Promise<WorkloadPrincipal | null> {
    const { subjects } = trusted;
    const principal =
      typeof subjects === 'function' ? await subjects(claims) : Object.hasOwn(subjects, claims.sub) ? subjects[claims.sub] : null;
    return isWorkloadPrincipal(principal) ? principal : null;
  }

  /**
   * RFC 7523 §3 item 7: a `jti` is used once within its token's lifetime. Checked and marked with no
   * await between, so two racing requests cannot both pass (on one instance: see docs/workload-identity.md).
   */
  private spend(trusted: ResolvedWorkloadIssuer, claims: WorkloadClaims): void {
    if (!trusted.preventReplay) return;
    if (typeof claims.jti !== 'string' || claims.jti === '')
      throw new InvalidGrantError('The assertion has no jti, so it could be replayed');
    const now = this.options.clock.now();
    if (now - this.sweptAt > SWEEP_INTERVAL_MS) {
      for (const [key, until] of this.used) if (until <= now) this.used.delete(key);
      this.sweptAt = now;
    }
    const key = `${trusted.issuer} ${claims.jti}`;
    if ((this.used.get(key) ?? 0) > now) throw new InvalidGrantError('The assertion has already been used');
    this.used.set(key, ((claims.exp as number) + this.workloadIdentity.leewaySeconds) * 1000);
  }

  private unavailable(trusted: ResolvedWorkloadIssuer, error: unknown): TemporarilyUnavailableError {
    this.logger.warn(`Keys of ${trusted.issuer} could not be fetched: ${error instanceof Error ? error.message : String(error)}`);
    return new TemporarilyUnavailableError();
  }

  private get workloadIdentity(): NonNullable<ResolvedDeviceAuthOptions['workloadIdentity']> {
    return this.options.workloadIdentity as NonNullable<ResolvedDeviceAuthOptions['workloadIdentity']>;
  }
}
