import { Injectable } from '@nestjs/common';
import { Grant } from '../entities/grant.entity';
import { RefreshToken } from '../entities/refresh-token.entity';
import { GrantStore } from '../storage/grant.store';
import { AccessTokens, VerifiedAccessToken } from './access-token.service';
import { InvalidAccessTokenError } from '../errors/invalid-access-token.error';
import { sha256Hex } from './hashing';
import { hasValidChecksum } from './random-token';
import { TOKEN_PREFIX } from '../protocol/token-prefixes';

export type PresentedToken =
  | { kind: 'refresh_token'; refreshToken: RefreshToken; grant: Grant }
  | { kind: 'access_token'; accessToken: VerifiedAccessToken; grant: Grant };

/**
 * Recognises a token presented to revocation or introspection by its own shape, whatever
 * `token_type_hint` says (RFC 7009 §2.1: the hint is only a hint).
 */
@Injectable()
export class PresentedTokens {
  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly grants: GrantStore,
  ) {}

  /** The token and its grant, or null for anything that is not a token of ours. */
  async find(token: string): Promise<PresentedToken | null> {
    if (hasValidChecksum(token, TOKEN_PREFIX.refreshToken)) {
      const refreshToken = await this.grants.findRefreshTokenByHash(sha256Hex(token));
      const grant = refreshToken && (await this.grants.findById(refreshToken.familyId));
      return refreshToken && grant ? { kind: 'refresh_token', refreshToken, grant } : null;
    }
    try {
      const accessToken = await this.accessTokens.verify(token);
      const grant = await this.grants.findById(accessToken.grantId);
      return grant ? { kind: 'access_token', accessToken, grant } : null;
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) return null;
      throw error;
    }
  }
}
