import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { OAuthClient } from '../entities/client.entity';
import { REFRESH_TOKEN_GRANT_TYPE } from '../grants/grant-types';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { RefreshTokenStore } from '../storage/refresh-token.store';
import { AccessTokens } from './access-token.service';
import { sha256Hex } from './hashing';
import { generateToken, TOKEN_PREFIX } from './random-token';

/** RFC 6749 §5.1 successful token response. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  scope: string;
}

/** Mints the tokens of a new grant: a JWT access token and, if the client may refresh, a refresh token. */
@Injectable()
export class TokenIssuer {
  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly accessTokens: AccessTokens,
    private readonly refreshTokens: RefreshTokenStore,
  ) {}

  async issue(client: OAuthClient, userId: string, scope: string): Promise<TokenResponse> {
    const grantId = randomUUID();
    const access = await this.accessTokens.mint({ userId, clientId: client.clientId, scope, grantId });
    const response: TokenResponse = { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, scope };
    if (client.grantTypes.includes(REFRESH_TOKEN_GRANT_TYPE)) {
      response.refresh_token = await this.storeRefreshToken(client, userId, scope, grantId);
    }
    return response;
  }

  private async storeRefreshToken(client: OAuthClient, userId: string, scope: string, familyId: string): Promise<string> {
    const token = generateToken(TOKEN_PREFIX.refreshToken);
    const now = this.options.clock.now();
    await this.refreshTokens.insert({
      id: randomUUID(),
      tokenHash: sha256Hex(token),
      familyId,
      parentId: null,
      clientId: client.clientId,
      userId,
      scope,
      createdAt: now,
      expiresAt: now + this.options.refreshToken.ttl * 1000,
      consumedAt: null,
      revokedAt: null,
    });
    return token;
  }
}
