import type { Request } from 'express';
import type { Principal } from '../guards/principal';
import { clientAddress } from '../http/client-address';
import { PersonalAccessTokensService } from './personal-access-tokens.service';

/** Response header on PAT-authenticated calls: ISO 8601 expiry, or `never`. */
export const TOKEN_EXPIRATION_HEADER = 'Token-Expiration';

/**
 * What every call made with a PAT does, wherever it is authenticated: tells the script when its
 * token lapses (as GitHub does) and stamps the token's last use (throttled to once a minute).
 */
export async function notePersonalAccessTokenUse(tokens: PersonalAccessTokensService, principal: Principal, request: Request): Promise<void> {
  if (principal.tokenKind !== 'pat') return;
  request.res?.setHeader(TOKEN_EXPIRATION_HEADER, principal.expiresAt === null ? 'never' : principal.expiresAt.toISOString());
  await tokens.recordUse(principal.tokenId, clientAddress(request));
}
