import { ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request, Response } from 'express';
import { ALLOW_APP_TOKENS_METADATA } from '../decorators/allow-app-tokens.decorator';
import { SCOPES_METADATA } from '../decorators/scopes.decorator';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { notePersonalAccessTokenUse } from '../pats/personal-access-token-use';
import { PersonalAccessTokensService } from '../pats/personal-access-tokens.service';
import { BEARER_STRATEGY_NAME } from './bearer.strategy';
import type { Principal } from './principal';

const quoted = (value: string): string => `"${value.replace(/["\\]/g, '')}"`;

/**
 * Protects host routes with a bearer token and the scopes named by @Scopes(). Answers as RFC 6750
 * §3 says: 401 with a `WWW-Authenticate: Bearer` challenge, 403 `insufficient_scope`, 400 for a
 * malformed request. Subclass and override `requiredScopes` to source scopes elsewhere.
 */
@Injectable()
export class BearerTokenGuard extends AuthGuard(BEARER_STRATEGY_NAME) {
  constructor(
    private readonly reflector: Reflector,
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly personalAccessTokens: PersonalAccessTokensService,
  ) {
    super();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await super.canActivate(context);
    const request = context.switchToHttp().getRequest<Request & { user: Principal }>();
    const principal = request.user;
    await notePersonalAccessTokenUse(this.personalAccessTokens, principal, request);
    if (principal.subjectKind === 'app' && !this.allowsAppTokens(context)) {
      throw this.challenge(context, 403, 'insufficient_scope', 'This route serves users; a token an app holds for itself is not accepted here');
    }
    const missing = this.requiredScopes(context).filter((scope) => !principal.scopes.includes(scope));
    if (missing.length > 0) {
      throw this.challenge(context, 403, 'insufficient_scope', `This token lacks the scope: ${missing.join(' ')}`, {
        scope: this.requiredScopes(context).join(' '),
      });
    }
    return true;
  }

  /** Handler metadata overrides class metadata. */
  protected requiredScopes(context: ExecutionContext): string[] {
    return this.reflector.getAllAndOverride<string[] | undefined>(SCOPES_METADATA, [context.getHandler(), context.getClass()]) ?? [];
  }

  /** Routes (or controllers) marked @AllowAppTokens() also serve apps acting for themselves. */
  protected allowsAppTokens(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean | undefined>(ALLOW_APP_TOKENS_METADATA, [context.getHandler(), context.getClass()]) === true;
  }

  handleRequest<TUser = Principal>(error: unknown, user: TUser | false, info: unknown, context: ExecutionContext, status?: number): TUser {
    if (error) throw error;
    if (user) return user;
    if (status === 400) {
      throw this.challenge(context, 400, 'invalid_request', 'Send exactly one bearer token, as "Authorization: Bearer <token>"');
    }
    const challenge = typeof info === 'string' ? info : '';
    const description = /error_description="([^"]*)"/.exec(challenge)?.[1];
    if (description !== undefined) throw this.challenge(context, 401, 'invalid_token', description);
    throw this.challenge(context, 401, undefined, 'A bearer token is required');
  }

  /** Sets the WWW-Authenticate header here so any host exception filter keeps it. */
  private challenge(
    context: ExecutionContext,
    status: number,
    error: string | undefined,
    description: string,
    extra: Record<string, string> = {},
  ): HttpException {
    const attributes = { realm: this.options.issuer, ...(error ? { error, error_description: description } : {}), ...extra };
    const header = 'Bearer ' + Object.entries(attributes).map(([name, value]) => `${name}=${quoted(value)}`).join(', ');
    context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', header);
    return new HttpException({ statusCode: status, error: error ?? 'unauthorized', error_description: description }, status);
  }
}
