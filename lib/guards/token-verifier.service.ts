import { Injectable } from '@nestjs/common';
import { AccessTokens, InvalidAccessTokenError } from '../tokens/access-token.service';
import { RevocationCache } from '../tokens/revocation-cache.service';
import type { Principal } from './principal';

/** Longer than any token we issue; anything longer is refused before parsing. */
const MAX_TOKEN_LENGTH = 4096;

/** Turns a presented bearer token into a Principal, or throws InvalidAccessTokenError. */
@Injectable()
export class TokenVerifier {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly revocations: RevocationCache,
  ) {}

  async verify(token: unknown): Promise<Principal> {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw new InvalidAccessTokenError('The access token is malformed');
    const verified = await this.accessTokens.verify(token);
    if (await this.revocations.isRevoked(verified.grantId)) throw new InvalidAccessTokenError('The access token has been revoked');
    return {
      userId: verified.userId,
      clientId: verified.clientId,
      scopes: verified.scope.split(' ').filter((scope) => scope !== ''),
      tokenKind: 'jwt',
    };
  }
}
