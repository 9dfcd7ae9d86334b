import { Injectable } from '@nestjs/common';
import { Grant, isUserGrant } from '../entities/grant.entity';
import { InvalidGrantError } from '../errors/oauth.error';
import { requiredParameter } from '../http/form-parameters';
import { scopeList } from '../protocol/scope';
import { scopeWithin } from '../http/requested-scope';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { offers } from '../options/offers';
import { refuseOtherResource } from '../resource/resource-indicator';
import { GrantStore, isLiveRefreshToken } from '../storage/grant.store';
import { UnitOfWork } from '../storage/unit-of-work';
import { DerivedRefreshTokens } from '../tokens/derived-refresh-tokens.service';
import { sha256Hex } from '../tokens/hashing';
import { hasValidChecksum } from '../tokens/random-token';
import { TOKEN_PREFIX } from '../protocol/token-prefixes';
import type { TokenResponse } from '../protocol/token-response';
import { TokenIssuer } from '../tokens/token-issuer.service';
import { GrantRevocation } from '../tokens/grant-revocation.service';
import { REFRESH_TOKEN_GRANT_TYPE } from '../protocol/grant-types';
import type { TokenGrant, TokenRequest } from './token-grant.interface';

const INVALID = 'The refresh token is invalid, expired or revoked';

/**
 * RFC 6749 §6 with rotation (RFC 9700 §4.14): every use spends the token and returns its
 * successor. The successor's value is an HMAC of the spent value, so a client that lost the
 * response (or raced itself) and presents the spent token within the grace window gets the
 * same successor back; later, the spent token is reuse and the whole family is revoked.
 */
@Injectable()
export class RefreshTokenGrant implements TokenGrant {
  readonly grantType = REFRESH_TOKEN_GRANT_TYPE;
  readonly parameters = ['refresh_token', 'scope', 'resource'];
  readonly clientTypes = ['public', 'confidential'] as const;
  readonly issuesRefreshTokens = true;
  readonly needsUser = true;

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly grants: GrantStore,
    private readonly issuer: TokenIssuer,
    private readonly derived: DerivedRefreshTokens,
    private readonly units: UnitOfWork,
    private readonly revocation: GrantRevocation,
  ) {}

  offered(): boolean {
    return offers(this.options, this.grantType);
  }

  async handle({ client, parameters }: TokenRequest): Promise<TokenResponse> {
    const presented = requiredParameter(parameters, 'refresh_token');
    if (!hasValidChecksum(presented, TOKEN_PREFIX.refreshToken)) throw new InvalidGrantError(INVALID);
    const token = await this.grants.findRefreshTokenByHash(sha256Hex(presented));
    if (!token || token.clientId !== client.clientId) throw new InvalidGrantError(INVALID);
    const grant = await this.grants.findById(token.familyId);
    const now = this.options.clock.now();
    if (!grant || !isUserGrant(grant) || grant.revokedAt !== null || token.revokedAt !== null || now >= token.expiresAt)
      throw new InvalidGrantError(INVALID);
    const scope = scopeWithin(scopeList(grant.scope), parameters.scope);
    refuseOtherResource(this.options, grant.resource, parameters.resource);

    if (token.consumedAt !== null && now - token.consumedAt > this.options.refreshToken.reuseGraceSeconds * 1000) {
      return this.reuseDetected(grant);
    }
    const successorValue = await this.derived.successorOf(presented);
    const successor = this.issuer.refreshTokenRow(grant, successorValue, token.id);
    // The successor and the spent parent are one unit of work: a crash leaves both or neither,
    // never a family with two live tokens.
    const rotated = await this.units.run(async () => {
      if (!(await this.grants.insertSuccessor(successor))) return false;
      // Revoked while we rotated: the revocation wins, and the successor is undone with the unit.
      if (!(await this.grants.markRefreshTokenSpent(token.id, now))) throw new InvalidGrantError(INVALID);
      return true;
    });
    if (rotated) return this.issuer.respond(client, grant, scope, this.grantType, successorValue);
    // Someone rotated this token first, within the grace window (checked above; a rotation still in
    // flight has not written consumedAt yet). While the successor is unused, answer with that same
    // successor so both callers hold the one live token.
    const existing = await this.grants.findRefreshTokenByHash(sha256Hex(successorValue));
    if (existing && isLiveRefreshToken(existing, now)) {
      return this.issuer.respond(client, grant, scope, this.grantType, successorValue);
    }
    return this.reuseDetected(grant);
  }

  /** A spent token came back too late: whoever holds it may be a thief, so the family dies. */
  private async reuseDetected(grant: Grant): Promise<never> {
    await this.revocation.revoke(grant, 'refresh_token_reuse');
    throw new InvalidGrantError(INVALID);
  }
}
