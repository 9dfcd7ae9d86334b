import { Controller, HttpCode, Post, Req, UseFilters, UseInterceptors } from '@nestjs/common';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { InvalidRequestError, UnauthorizedClientError, UnsupportedGrantTypeError } from '../errors/oauth.error';
import { RateLimits } from '../limits/rate-limits.service';
import { OAuthExceptionFilter } from '../filters/oauth-exception.filter';
import { GrantRegistry } from '../grants/grant-registry';
import type { TokenResponse } from '../protocol/token-response';
import { ClientAuthenticator } from './client-authenticator';
import { formParameters, requiredParameter } from '../http/form-parameters';
import { NoStore } from './no-store.decorator';
import { DatabaseOutageJsonInterceptor } from '../filters/database-outage-json.interceptor';

/**
 * `POST /o/token/`: checks the request and the client, then hands it to the grant's handler.
 * Requests are counted per IP before anything else, and per client once it is authenticated (so
 * nobody can use up another client's allowance by naming it).
 */
@UseInterceptors(DatabaseOutageJsonInterceptor)
@Controller()
@UseFilters(OAuthExceptionFilter)
export class TokenController {
  constructor(
    private readonly clients: ClientAuthenticator,
    private readonly limits: RateLimits,
    private readonly grants: GrantRegistry,
  ) {}

  @Post()
  @HttpCode(200)
  @NoStore()
  async token(@Req() request: DeviceAuthRequest): Promise<TokenResponse> {
    await this.limits.refuseOverLimit('tokenRequestsPerIp', await this.limits.clientKey(request), 'token requests');
    const parameters = formParameters(request);
    const grantType = requiredParameter(parameters, 'grant_type');
    const grant = this.grants.offeredGrant(grantType);
    if (!grant) throw new UnsupportedGrantTypeError(`Unsupported grant_type "${grantType.slice(0, 100)}"`);
    const client = await this.clients.authenticate(request, parameters);
    await this.limits.refuseOverLimit('tokenRequestsPerClient', client.clientId, 'token requests');
    if (!client.grantTypes.includes(grantType)) throw new UnauthorizedClientError(`This client may not use the ${grantType} grant`);
    if (parameters.user_id !== undefined && client.mode === 'personal') {
      throw new InvalidRequestError('user_id is not accepted for personal apps');
    }
    return grant.handle({ client, parameters, request });
  }
}
