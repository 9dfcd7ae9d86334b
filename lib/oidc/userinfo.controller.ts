import { Controller, Get, HttpCode, Post, Req, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { DeviceAuthPrincipal } from '../guards/device-auth-principal.decorator';
import { Scopes } from '../decorators/scopes.decorator';
import { BearerTokenGuard } from '../guards/bearer-token.guard';
import type { UserPrincipal } from '../tokens/principal';
import { NoStore } from '../oauth/no-store.decorator';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { OPENID_SCOPE } from '../protocol/oidc-scopes';
import { DatabaseOutageJsonInterceptor } from '../filters/database-outage-json.interceptor';
import { OAuthExceptionFilter } from '../filters/oauth-exception.filter';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { refuseUnreadBody } from './userinfo-body';

/**
 * OIDC Core §5.3 userinfo endpoint (`/o/userinfo/`, from options.paths.userinfo): the signed-in
 * user's claims for the scopes of the access token, which must carry `openid` (else 403
 * insufficient_scope). Guarded like any user route: apps' own tokens have no user to describe.
 * A body it does not read is refused (see refuseUnreadBody).
 */
@UseInterceptors(DatabaseOutageJsonInterceptor)
@Controller()
@UseFilters(OAuthExceptionFilter)
@UseGuards(BearerTokenGuard)
@Scopes(OPENID_SCOPE)
export class UserinfoController {
  constructor(@InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions) {}

  @Get()
  @NoStore()
  get(@Req() request: DeviceAuthRequest, @DeviceAuthPrincipal() who: UserPrincipal): Promise<Record<string, unknown>> {
    refuseUnreadBody(this.options, request);
    return this.claims(who);
  }

  @Post()
  @HttpCode(200)
  @NoStore()
  post(@Req() request: DeviceAuthRequest, @DeviceAuthPrincipal() who: UserPrincipal): Promise<Record<string, unknown>> {
    refuseUnreadBody(this.options, request);
    return this.claims(who);
  }

  private async claims(who: UserPrincipal): Promise<Record<string, unknown>> {
    return { ...(await this.options.resolveClaims(who.userId, who.scopes)), sub: who.userId };
  }
}
