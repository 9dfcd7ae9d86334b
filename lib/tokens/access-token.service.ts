import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { ExpiringCache } from '../cache/expiring-cache';
import { InvalidAccessTokenError } from '../errors/invalid-access-token.error';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { SigningKeys } from './signing-keys.service';
import { subjectClaim, userIdOfSubject } from './token-subject';

/** RFC 9068 media type of a JWT access token. */
const ACCESS_TOKEN_TYP = 'at+jwt';

/**
 * How long a verified signature is remembered. A CLI's hot loop presents one token over and over;
 * the signature cannot change, so only expiry (and revocation, checked elsewhere) needs re-checking.
 */
const VERIFIED_SIGNATURE_TTL_MS = 60_000;

export interface AccessTokenSubject {
  /** Null for an app's own token (client credentials). */
  userId: string | null;
  clientId: string;
  scope: string;
  /** The grant (refresh-token family) the token came from, so revoking the grant can reach it. */
  grantId: string;
  /** The resource (API) the token is for, its `aud` (RFC 8707). */
  audience: string;
  /** Token exchange (RFC 8693 `act`): the app acting for the user; absent otherwise. */
  actor?: TokenActor;
}

/** RFC 8693 §4.1 `act`: the acting app's client id, and who acted before it in a chain of exchanges. */
export interface TokenActor {
  sub: string;
  act?: TokenActor;
}

/** An `act` claim as this server writes it, else undefined. */
function actorOf(claim: unknown, depth = 0): TokenActor | undefined {
  if (depth > 10 || typeof claim !== 'object' || claim === null) return undefined;
  const { sub, act } = claim as Record<string, unknown>;
  if (typeof sub !== 'string') return undefined;
  if (act === undefined) return { sub };
  const previous = actorOf(act, depth + 1);
  return previous && { sub, act: previous };
}

export interface VerifiedAccessToken extends Omit<AccessTokenSubject, 'actor'> {
  actor: TokenActor | null;
  jti: string;
  issuedAt: number;
  expiresAt: number;
}

@Injectable()
export class AccessTokens {
  private readonly verified = new ExpiringCache<VerifiedAccessToken>(VERIFIED_SIGNATURE_TTL_MS);
  /** Every resource this server issues tokens for: a token for any of them verifies; the guard checks which. */
  private readonly audiences: string[];

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly keys: SigningKeys,
  ) {
    this.audiences = options.resources.map(({ resource }) => resource);
  }

  /** A signed RFC 9068 JWT living `ttl` seconds. */
  async mint(subject: AccessTokenSubject, ttl: number): Promise<string> {
    const key = await this.keys.signingKey();
    const issuedAt = Math.floor(this.options.clock.now() / 1000);
    const claims = { client_id: subject.clientId, scope: subject.scope, grant_id: subject.grantId };
    return new SignJWT(subject.actor === undefined ? claims : { ...claims, act: subject.actor })
      .setProtectedHeader({ alg: key.alg, typ: ACCESS_TOKEN_TYP, kid: key.kid })
      .setIssuer(this.options.issuer)
      .setSubject(subjectClaim(subject.clientId, subject.userId))
      .setAudience(subject.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttl)
      .setJti(randomUUID())
      .sign(key.privateKey);
  }

  /** Verifies signature, `typ`, `iss`, `aud` and `exp` against the injected clock. */
  async verify(token: string): Promise<VerifiedAccessToken> {
    const now = this.options.clock.now();
    let verified = this.verified.get(token, now);
    if (!verified) {
      verified = await this.verifySignatureAndClaims(token);
      this.verified.set(token, verified, now);
    }
    if (now >= verified.expiresAt * 1000) throw new InvalidAccessTokenError('The access token has expired');
    return verified;
  }

  private async verifySignatureAndClaims(token: string): Promise<VerifiedAccessToken> {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw new InvalidAccessTokenError('The access token is malformed');
    }
    const key = await this.keys.verificationKey(kid);
    if (!key) throw new InvalidAccessTokenError('The access token was not signed by this server');
    try {
      const { payload } = await jwtVerify(token, key.publicKey, {
        algorithms: [key.alg],
        typ: ACCESS_TOKEN_TYP,
        issuer: this.options.issuer,
        audience: this.audiences,
        currentDate: new Date(this.options.clock.now()),
        requiredClaims: ['sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope', 'grant_id'],
      });
      const clientId = String(payload.client_id);
      const userId = userIdOfSubject(String(payload.sub), clientId);
      // Ours carry exactly one audience (RFC 8707: one resource per token).
      const actor = payload.act === undefined ? null : actorOf(payload.act);
      if (userId === undefined || typeof payload.aud !== 'string' || actor === undefined)
        throw new InvalidAccessTokenError('The access token is invalid');
      return {
        userId,
        clientId,
        scope: String(payload.scope),
        grantId: String(payload.grant_id),
        audience: payload.aud,
        actor,
        jti: String(payload.jti),
        issuedAt: Number(payload.iat),
        expiresAt: Number(payload.exp),
      };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new InvalidAccessTokenError('The access token has expired');
      if (error instanceof joseErrors.JOSEError) throw new InvalidAccessTokenError('The access token is invalid');
      throw error;
    }
  }
}
