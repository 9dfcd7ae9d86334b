import { CanActivate, ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ALLOW_APP_TOKENS_METADATA } from '../decorators/allow-app-tokens.decorator';
import { SCOPES_METADATA } from '../decorators/scopes.decorator';
import { FOR_RESOURCE_METADATA } from '../decorators/for-resource.decorator';
import { describedResource } from '../resource/resource-indicator';
import type { BearerChallengeAttributes } from '../protocol/bearer-challenge';
import { resourceChallenge } from '../resource/protected-resource-metadata';
import { presentedBearer } from '../protocol/bearer-credentials';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { HttpResponses } from '../pages/http-responses.service';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { PersonalAccessTokenUse } from '../pats/personal-access-token-use';
import { InvalidAccessTokenError } from '../errors/invalid-access-token.error';
import type { Principal } from '../tokens/principal';
import { TokenVerifier } from './token-verifier.service';
import { temporarilyUnavailable } from '../errors/temporarily-unavailable.error';
import { isDatabaseUnavailable } from '../storage/database-unavailable';

/** What a route asks of a token: its scopes, whether an app's own token will do, and its resource. */
interface RouteMetadata {
  scopes: string[];
  allowsAppTokens: boolean;
  resource: string;
}

/**
 * Protects host routes with a bearer token and the scopes named by @Scopes(). Answers as RFC 6750
 * §3 says: 401 with a `WWW-Authenticate: Bearer` challenge, 403 `insufficient_scope`, 400 for a
 * malformed request. Reads the token itself, so it works alike on Express and Fastify. Subclass
 * and override `requiredScopes` or `allowsAppTokens` to source them elsewhere.
 */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  /** Route metadata read once per controller class and handler: it cannot change after start-up. */
  private readonly routeMetadata = new WeakMap<object, WeakMap<object, RouteMetadata>>();

  constructor(
    private readonly reflector: Reflector,
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly verifier: TokenVerifier,
    private readonly personalAccessTokenUse: PersonalAccessTokenUse,
    private readonly responses: HttpResponses,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<DeviceAuthRequest & { user?: Principal }>();
    const principal = await this.authenticate(context, request);
    request.user = principal;
    await this.personalAccessTokenUse.note(principal, request, http.getResponse());
    if (principal.subjectKind === 'app' && !this.allowsAppTokens(context)) {
      throw this.challenge(context, 403, {
        error: 'insufficient_scope',
        error_description: 'This route serves users; a token an app holds for itself is not accepted here',
      });
    }
    const required = this.requiredScopes(context);
    const missing = required.filter((scope) => !principal.scopes.includes(scope));
    if (missing.length > 0) {
      // The header names the scopes in their own attribute; the body says which are missing.
      throw this.challenge(
        context,
        403,
        { error: 'insufficient_scope', error_description: 'This token lacks a scope this route requires', scope: required.join(' ') },
        `This token lacks the scope: ${missing.join(' ')}`,
      );
    }
    return true;
  }

  /** Handler metadata overrides class metadata. */
  protected requiredScopes(context: ExecutionContext): string[] {
    return this.metadataOf(context).scopes;
  }

  /** Routes (or controllers) marked @AllowAppTokens() also serve apps acting for themselves. */
  protected allowsAppTokens(context: ExecutionContext): boolean {
    return this.metadataOf(context).allowsAppTokens;
  }

  /** Routes (or controllers) marked @ForResource(url) serve that resource; the rest `accessToken.audience`. */
  protected resource(context: ExecutionContext): string {
    return this.metadataOf(context).resource;
  }

  private metadataOf(context: ExecutionContext): RouteMetadata {
    const controller = context.getClass();
    const handler = context.getHandler();
    let byHandler = this.routeMetadata.get(controller);
    if (!byHandler) this.routeMetadata.set(controller, (byHandler = new WeakMap()));
    let metadata = byHandler.get(handler);
    if (!metadata) {
      const targets = [handler, controller];
      metadata = {
        scopes: this.reflector.getAllAndOverride<string[] | undefined>(SCOPES_METADATA, targets) ?? [],
        allowsAppTokens: this.reflector.getAllAndOverride<boolean | undefined>(ALLOW_APP_TOKENS_METADATA, targets) === true,
        resource: describedResource(
          this.options,
          this.reflector.getAllAndOverride<string | undefined>(FOR_RESOURCE_METADATA, targets) ?? this.options.accessToken.audience,
        ).resource,
      };
      byHandler.set(handler, metadata);
    }
    return metadata;
  }

  private async authenticate(context: ExecutionContext, request: DeviceAuthRequest): Promise<Principal> {
    const presented = presentedBearer(request);
    if (presented.outcome === 'malformed') {
      throw this.challenge(context, 400, {
        error: 'invalid_request',
        error_description: 'Send exactly one bearer token, as Authorization: Bearer <token>',
      });
    }
    if (presented.outcome === 'absent') throw this.challenge(context, 401, {}, 'A bearer token is required');
    try {
      return await this.verifier.verify(presented.token, this.resource(context));
    } catch (error) {
      if (error instanceof InvalidAccessTokenError)
        throw this.challenge(context, 401, { error: 'invalid_token', error_description: error.description });
      // A valid token is not invalid because the database is away: 503, and the client retries.
      if (isDatabaseUnavailable(error)) throw temporarilyUnavailable(this.responses, context.switchToHttp().getResponse());
      throw error;
    }
  }

  /**
   * Sets the headers here so any host exception filter keeps them; a refusal is never cached either.
   * `description` is the body's, which may say more than the challenge's fixed sentence.
   */
  private challenge(
    context: ExecutionContext,
    status: number,
    attributes: BearerChallengeAttributes,
    description = attributes.error_description ?? '',
  ): HttpException {
    const response = context.switchToHttp().getResponse();
    this.responses.setHeader(response, 'WWW-Authenticate', resourceChallenge(this.options, attributes, this.resource(context)));
    this.responses.setHeader(response, 'Cache-Control', 'no-store');
    return new HttpException({ statusCode: status, error: attributes.error ?? 'unauthorized', error_description: description }, status);
  }
}
