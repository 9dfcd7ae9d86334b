import { Controller, HttpCode, Post, Req, UseFilters, UseInterceptors } from '@nestjs/common';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { OAuthExceptionFilter } from '../filters/oauth-exception.filter';
import { RateLimits } from '../limits/rate-limits.service';
import { ClientAuthenticator } from './client-authenticator';
import { DeviceAuthorizationResponse, DeviceAuthorizationService } from './device-authorization.service';
import { formParameters } from '../http/form-parameters';
import { NoStore } from './no-store.decorator';
import { DatabaseOutageJsonInterceptor } from '../filters/database-outage-json.interceptor';

/** `POST /o/device-authorization/` (path from options.paths.deviceAuthorization). */
@UseInterceptors(DatabaseOutageJsonInterceptor)
@Controller()
@UseFilters(OAuthExceptionFilter)
export class DeviceAuthorizationController {
  constructor(
    private readonly clients: ClientAuthenticator,
    private readonly deviceAuthorizations: DeviceAuthorizationService,
    private readonly limits: RateLimits,
  ) {}

  @Post()
  @HttpCode(200)
  @NoStore()
  async authorize(@Req() request: DeviceAuthRequest): Promise<DeviceAuthorizationResponse> {
    // Every answer stores a row: an address cannot fill the table faster than the limit allows.
    await this.limits.refuseOverLimit('deviceAuthorizationsPerIp', await this.limits.clientKey(request), 'device authorization requests');
    const parameters = formParameters(request);
    const client = await this.clients.authenticate(request, parameters);
    return this.deviceAuthorizations.start(client, parameters, request);
  }
}
