import { Controller, HttpCode, NotFoundException, Post, Req, UseFilters, UseInterceptors } from '@nestjs/common';
import { DatabaseOutageJsonInterceptor } from '../filters/database-outage-json.interceptor';
import { OAuthExceptionFilter } from '../filters/oauth-exception.filter';
import { InvalidRequestError, InvalidTokenError, OAuthError } from '../errors/oauth.error';
import { bearerChallenge } from '../protocol/bearer-challenge';
import { bearerFromHeader } from '../protocol/bearer-credentials';
import { clientAddress } from '../http/client-address';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { isJsonBody } from '../http/json-body';
import { RateLimits } from '../limits/rate-limits.service';
import { NoStore } from '../oauth/no-store.decorator';
import type { InitialAccessTokenCheck, ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { DynamicRegistrations, RegisteredClientMetadata } from './dynamic-registrations.service';
import { initialAccessTokenCheck } from './initial-access-token';

/**
 * `POST /o/register/` (options.paths.registration): RFC 7591 dynamic client registration, when
 * `dynamicRegistration` is set. A JSON body of client metadata makes a public partner app; the
 * answer is 201 with its `client_id`. No RFC 7592 management: apps are changed by the host.
 */
@UseInterceptors(DatabaseOutageJsonInterceptor)
@Controller()
@UseFilters(OAuthExceptionFilter)
export class RegistrationController {
  private readonly tokenCheck: InitialAccessTokenCheck | null;

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly registrations: DynamicRegistrations,
    private readonly limits: RateLimits,
  ) {
    this.tokenCheck = initialAccessTokenCheck(options.dynamicRegistration?.initialAccessToken);
  }

  @Post()
  @HttpCode(201)
  @NoStore()
  async register(@Req() request: DeviceAuthRequest): Promise<RegisteredClientMetadata> {
    const settings = this.options.dynamicRegistration;
    if (!settings) throw new NotFoundException();
    const ip = clientAddress(request);
    // Counted before the initial access token is checked, so the limit slows guessing it too.
    await this.limits.refuseOverLimit('registrationsPerIp', await this.limits.clientKey(request), 'client registrations');
    await this.requireInitialAccessToken(request);
    if (!isJsonBody(request)) throw new InvalidRequestError('Send the client metadata as application/json in UTF-8');
    return this.registrations.register(request.body, settings.scopes, ip);
  }

  /** RFC 7591 §3: the initial access token is an RFC 6750 bearer token, in the Authorization header. */
  private async requireInitialAccessToken(request: DeviceAuthRequest): Promise<void> {
    if (this.tokenCheck === null) return;
    const { issuer } = this.options;
    const presented = bearerFromHeader(request.headers.authorization);
    if (presented.outcome === 'malformed') {
      throw new OAuthError('invalid_request', 'Send the initial access token as "Authorization: Bearer <token>"', 400, {
        'WWW-Authenticate': bearerChallenge(issuer, { error: 'invalid_request' }),
      });
    }
    if (presented.outcome === 'absent') throw new InvalidTokenError(issuer, 'Registering an app needs an initial access token', false);
    if (!(await this.tokenCheck(presented.token))) throw new InvalidTokenError(issuer, 'The initial access token is not valid', true);
  }
}
