import { Injectable } from '@nestjs/common';
import { AccessDeniedError, AuthorizationPendingError, ExpiredTokenError, InvalidGrantError, SlowDownError } from '../errors/oauth.error';
import { requiredParameter } from '../oauth/form-parameters';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { refuseOtherResource } from '../resource/resource-indicator';
import { DeviceAuthorizationStore } from '../storage/device-authorization.store';
import { sha256Hex } from '../tokens/hashing';
import { hasValidChecksum, TOKEN_PREFIX } from '../tokens/random-token';
import { TokenIssuer, TokenResponse } from '../tokens/token-issuer.service';
import { DEVICE_CODE_GRANT_TYPE } from './grant-types';
import type { TokenGrant, TokenRequest } from './token-grant.interface';

/** RFC 8628 §3.4–3.5: the device polls until the user has approved, denied, or the code expired. */
@Injectable()
export class DeviceCodeGrant implements TokenGrant {
  readonly grantType = DEVICE_CODE_GRANT_TYPE;

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly store: DeviceAuthorizationStore,
    private readonly issuer: TokenIssuer,
  ) {}

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
    if (authorization.status === 'consumed') throw new InvalidGrantError('This device code has already been used');
    if (now >= authorization.expiresAt) throw new ExpiredTokenError();
    if (authorization.status === 'denied') throw new AccessDeniedError();
    // Decided between the two statements: the next poll will see the decision.
    if (authorization.status === 'pending') throw new AuthorizationPendingError();
    refuseOtherResource(this.options, authorization.resource, parameters.resource);
    // Approved rows always name who approved them; the check also narrows the type.
    if (authorization.userId === null || !(await this.store.consume(authorization.id))) {
      throw new InvalidGrantError('This device code has already been used');
    }
    const { userId, scope, resource } = authorization;
    return this.issuer.issueUserGrant(client, { userId, scope, resource }, this.grantType, { approvedAt: authorization.decidedAt ?? now });
  }
}
