import { Injectable } from '@nestjs/common';
import type { Principal } from '../tokens/principal';
import { clientAddress } from '../http/client-address';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { HttpResponses } from '../pages/http-responses.service';
import { PersonalAccessTokensService } from './personal-access-tokens.service';

/** Response header on PAT-authenticated calls: ISO 8601 expiry, or `never`. */
export const TOKEN_EXPIRATION_HEADER = 'Token-Expiration';

/**
 * What every call made with a PAT does, wherever it is authenticated: tells the script when its
 * token lapses (as GitHub does) and stamps the token's last use (throttled to once a minute).
 */
@Injectable()
export class PersonalAccessTokenUse {
  constructor(
    private readonly tokens: PersonalAccessTokensService,
    private readonly responses: HttpResponses,
  ) {}

  async note(principal: Principal, request: DeviceAuthRequest, response: unknown): Promise<void> {
    if (principal.tokenKind !== 'pat') return;
    this.responses.setHeader(response, TOKEN_EXPIRATION_HEADER, principal.expiresAt === null ? 'never' : principal.expiresAt.toISOString());
    await this.tokens.recordUse(principal.tokenId, clientAddress(request));
  }
}
