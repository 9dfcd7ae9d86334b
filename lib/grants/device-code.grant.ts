import { Injectable } from '@nestjs/common';
import { OAuthClient } from '../entities/client.entity';
import { DeviceAuthorization } from '../entities/device-authorization.entity';
import { isLiveGrant, isUserGrant } from '../entities/grant.entity';
import { AccessDeniedError, AuthorizationPendingError, ExpiredTokenError, InvalidGrantError, SlowDownError } from '../errors/oauth.error';
import { requiredParameter } from '../http/form-parameters';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { offers } from '../options/offers';
import type { SignIn } from '../tokens/id-tokens.service';
import { refuseOtherResource } from '../resource/resource-indicator';
import { DeviceAuthorizationStore } from '../storage/device-authorization.store';
import { GrantStore, isLiveRefreshToken } from '../storage/grant.store';
import { DerivedRefreshTokens } from '../tokens/derived-refresh-tokens.service';
import { sha256Hex } from '../tokens/hashing';
import { hasValidChecksum } from '../tokens/random-token';
import { TOKEN_PREFIX } from '../protocol/token-prefixes';
import type { TokenResponse } from '../protocol/token-response';
import { TokenIssuer } from '../tokens/token-issuer.service';
import { DEVICE_CODE_GRANT_TYPE } from '../protocol/grant-types';
import type { TokenGrant, TokenRequest } from './token-grant.interface';

const ALREADY_USED = 'This device code has already been used';

/**
 * RFC 8628 §3.4–3.5: the device polls until the user has approved, denied, or the code expired.
 * The exchange (code consumed, grant, first refresh token) is one transaction. A device whose
 * answer was lost polls again: within `deviceCode.repeatPollSeconds` it gets tokens of the same
 * grant, with the same refresh token as long as that is unused, never a second grant.
 */
@Injectable()
export class DeviceCodeGrant implements TokenGrant {
  readonly grantType = DEVICE_CODE_GRANT_TYPE;
  readonly parameters = ['device_code', 'resource'];
  readonly clientTypes = ['public', 'confidential'] as const;
  readonly issuesRefreshTokens = true;
  readonly needsUser = true;

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly store: DeviceAuthorizationStore,
    private readonly grants: GrantStore,
    private readonly derived: DerivedRefreshTokens,
    private readonly issuer: TokenIssuer,
  ) {}

  offered(): boolean {
    return offers(this.options, this.grantType);
  }

  /** RFC 8628 §4: where a device starts. */
  metadata(): Record<string, unknown> {
    return { device_authorization_endpoint: this.options.issuer + this.options.paths.deviceAuthorization };
  }

  async handle({ client, parameters }: TokenRequest): Promise<TokenResponse> {
    const deviceCode = requiredParameter(parameters, 'device_code');
    // A value that is not one of our codes is refused without a database read.
    if (!hasValidChecksum(deviceCode, TOKEN_PREFIX.deviceCode)) throw new InvalidGrantError('Unknown device code');
    const deviceCodeHash = sha256Hex(deviceCode);
    const now = this.options.clock.now();
    // The common case, a device waiting for its user, is one statement.
    const poll = await this.store.pollPending(deviceCodeHash, client.clientId, now);
    if (poll?.slowedDown) throw new SlowDownError(poll.intervalSeconds);
    if (poll) throw new AuthorizationPendingError();

    const authorization = await this.store.findByDeviceCodeHash(deviceCodeHash);
    if (!authorization || authorization.clientId !== client.clientId) throw new InvalidGrantError('Unknown device code');
    const used = authorization.status === 'consumed';
    if (!used && now >= authorization.expiresAt) throw new ExpiredTokenError();
    if (authorization.status === 'denied') throw new AccessDeniedError();
    // Decided between the two statements: the next poll will see the decision.
    if (authorization.status === 'pending') throw new AuthorizationPendingError();
    refuseOtherResource(this.options, authorization.resource, parameters.resource);
    if (used) return this.repeat(client, authorization, deviceCode, now);
    // Approved rows always name who approved them; the check also narrows the type.
    const { id, userId, scope, resource } = authorization;
    if (userId === null) throw new InvalidGrantError(ALREADY_USED);
    const issued = await this.issuer.issueUserGrant(client, { userId, scope, resource }, this.grantType, this.signIn(authorization, now), {
      claim: (grant) => this.store.consume(id, grant.id, now),
      refreshToken: await this.derived.firstOfDeviceCode(deviceCode),
    });
    if (issued) return issued;
    // A concurrent poll exchanged the code first: this one is a repeat of it.
    const exchanged = await this.store.findByDeviceCodeHash(deviceCodeHash);
    if (!exchanged) throw new InvalidGrantError(ALREADY_USED);
    return this.repeat(client, exchanged, deviceCode, now);
  }

  /**
   * A poll of a code already exchanged. Within the window, and while the grant lives and its first
   * refresh token is unused, the device lost its answer (or raced itself): the same grant answers.
   * A device that got its answer has used that refresh token by now, or stopped polling.
   */
  private async repeat(client: OAuthClient, authorization: DeviceAuthorization, deviceCode: string, now: number): Promise<TokenResponse> {
    const { consumedAt, grantId } = authorization;
    const windowMs = this.options.deviceCode.repeatPollSeconds * 1000;
    if (consumedAt === null || grantId === null || now - consumedAt > windowMs) throw new InvalidGrantError(ALREADY_USED);
    const grant = await this.grants.findById(grantId);
    if (!isLiveGrant(grant, now) || !isUserGrant(grant)) throw new InvalidGrantError(ALREADY_USED);
    if (!this.issuer.issuesRefreshToken(client, grant)) {
      return this.issuer.firstTokens(client, grant, this.grantType, this.signIn(authorization, now), undefined);
    }
    const refreshToken = await this.derived.firstOfDeviceCode(deviceCode);
    const stored = await this.grants.findRefreshTokenByHash(sha256Hex(refreshToken));
    if (!stored || !isLiveRefreshToken(stored, now)) throw new InvalidGrantError(ALREADY_USED);
    return this.issuer.firstTokens(client, grant, this.grantType, this.signIn(authorization, now), refreshToken);
  }

  private signIn(authorization: DeviceAuthorization, now: number): SignIn {
    return { approvedAt: authorization.decidedAt ?? now };
  }
}
