import { Controller, HttpCode, Post, Req, UseFilters, UseInterceptors } from '@nestjs/common';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { OAuthExceptionFilter } from '../filters/oauth-exception.filter';
import { GrantRevocation } from '../tokens/grant-revocation.service';
import { PresentedTokens } from '../tokens/presented-token.service';
import { ClientAuthenticator } from './client-authenticator';
import { formParameters, requiredParameter } from '../http/form-parameters';
import { NoStore } from './no-store.decorator';
import { DatabaseOutageJsonInterceptor } from '../filters/database-outage-json.interceptor';

/**
 * `POST /o/revoke/` (RFC 7009). Answers 200 for valid, unknown and already-revoked tokens alike,
 * so it tells a caller nothing about tokens it does not own. Revoking either kind of token ends
 * its whole grant: the refresh-token family and every access token minted from it.
 */
@UseInterceptors(DatabaseOutageJsonInterceptor)
@Controller()
@UseFilters(OAuthExceptionFilter)
export class RevocationController {
  constructor(
    private readonly clients: ClientAuthenticator,
    private readonly tokens: PresentedTokens,
    private readonly revocation: GrantRevocation,
  ) {}

  @Post()
  @HttpCode(200)
  @NoStore()
  async revoke(@Req() request: DeviceAuthRequest): Promise<void> {
    const parameters = formParameters(request);
    const client = await this.clients.authenticate(request, parameters);
    const found = await this.tokens.find(requiredParameter(parameters, 'token'));
    // Another client's token is left alone (§2.1), without saying so.
    if (found && found.grant.clientId === client.clientId) await this.revocation.revoke(found.grant, 'revoked');
  }
}
