import { Controller, HttpCode, Inject, Post, Req, UseFilters, UseInterceptors } from '@nestjs/common';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { Clock } from '../clock';
import { InvalidClientError } from '../errors/oauth.error';
import { OAuthExceptionFilter } from '../filters/oauth-exception.filter';
import { DEVICE_AUTH_CLOCK } from '../options/inject-clock.decorator';
import { isLiveRefreshToken } from '../storage/grant.store';
import type { TokenActor } from '../tokens/access-token.service';
import { PresentedToken, PresentedTokens } from '../tokens/presented-token.service';
import { OAuthClient } from '../entities/client.entity';
import { subjectClaim } from '../tokens/token-subject';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { grantAudience } from '../resource/resource-indicator';
import { ClientAuthenticator } from './client-authenticator';
import { formParameters, requiredParameter } from '../http/form-parameters';
import { NoStore } from './no-store.decorator';
import { DatabaseOutageJsonInterceptor } from '../filters/database-outage-json.interceptor';

/** RFC 7662 §2.2 response of an active token. */
export interface ActiveTokenIntrospection {
  active: true;
  scope: string;
  client_id: string;
  sub: string;
  /** The resource the token is for (RFC 8707). */
  aud: string;
  /** Token exchange (RFC 8693 §4.1): the app acting for the user. */
  act?: TokenActor;
  exp: number;
  iat: number;
  token_type: 'Bearer' | 'refresh_token';
}

const INACTIVE = { active: false } as const;

/**
 * `POST /o/introspect/` (RFC 7662) for resource servers: confidential clients only. Inactive,
 * unknown and foreign tokens all answer `{"active": false}` and nothing else. Access tokens may be
 * introspected by any confidential client; a refresh token only by the client it was issued to.
 */
@UseInterceptors(DatabaseOutageJsonInterceptor)
@Controller()
@UseFilters(OAuthExceptionFilter)
export class IntrospectionController {
  constructor(
    private readonly clients: ClientAuthenticator,
    private readonly tokens: PresentedTokens,
    @Inject(DEVICE_AUTH_CLOCK) private readonly clock: Clock,
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
  ) {}

  @Post()
  @HttpCode(200)
  @NoStore()
  async introspect(@Req() request: DeviceAuthRequest): Promise<ActiveTokenIntrospection | typeof INACTIVE> {
    const parameters = formParameters(request);
    const client = await this.clients.authenticate(request, parameters);
    if (client.type !== 'confidential')
      throw new InvalidClientError('Introspection is for authenticated confidential clients (resource servers)');
    const found = await this.tokens.find(requiredParameter(parameters, 'token'));
    return found && this.isActive(found, client) ? this.describe(found) : INACTIVE;
  }

  private isActive(found: PresentedToken, caller: OAuthClient): boolean {
    const now = this.clock.now();
    if (found.grant.revokedAt !== null) return false;
    if (found.kind === 'access_token') return true; // signature, iss, aud and exp were verified
    return found.refreshToken.clientId === caller.clientId && isLiveRefreshToken(found.refreshToken, now);
  }

  private describe(found: PresentedToken): ActiveTokenIntrospection {
    const { grant } = found;
    if (found.kind === 'access_token') {
      const token = found.accessToken;
      return {
        active: true,
        scope: token.scope,
        client_id: token.clientId,
        sub: subjectClaim(token.clientId, token.userId),
        aud: token.audience,
        ...(token.actor === null ? {} : { act: token.actor }),
        exp: token.expiresAt,
        iat: token.issuedAt,
        token_type: 'Bearer',
      };
    }
    const token = found.refreshToken;
    return {
      active: true,
      scope: token.scope,
      client_id: grant.clientId,
      sub: subjectClaim(grant.clientId, grant.userId),
      aud: grantAudience(this.options, grant.resource),
      exp: Math.floor(token.expiresAt / 1000),
      iat: Math.floor(token.createdAt / 1000),
      token_type: 'refresh_token',
    };
  }
}
