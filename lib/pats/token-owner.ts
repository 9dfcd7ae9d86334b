import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { OAuthError } from '../errors/oauth.error';
import { notePersonalAccessTokenUse } from './personal-access-token-use';
import type { Principal } from '../guards/principal';
import { TokenVerifier } from '../guards/token-verifier.service';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { InvalidAccessTokenError } from '../tokens/access-token.service';
import { PersonalAccessTokensService } from './personal-access-tokens.service';

/** Who is managing PATs: the signed-in user, or a bearer token of theirs with the management scope. */
export interface TokenOwner {
  userId: string;
  /** Set when the caller is a bearer token: new PATs may not carry more than it has. */
  bearerScopes?: string[];
}

const BEARER = /^bearer (\S+)$/i; // one space, one token: the same as the guard

@Injectable()
export class TokenOwners {
  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly verifier: TokenVerifier,
    private readonly personalAccessTokens: PersonalAccessTokensService,
  ) {}

  async fromRequest(request: Request): Promise<TokenOwner> {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) return this.fromBearer(request, authorization);
    const user = await this.options.resolveUser(request);
    if (!user) throw this.unauthorized(undefined, 'Sign in, or send a bearer token with the token-management scope');
    return { userId: user.id };
  }

  private async fromBearer(request: Request, authorization: string): Promise<TokenOwner> {
    const token = BEARER.exec(authorization)?.[1];
    if (!token) throw new OAuthError('invalid_request', 'Send "Authorization: Bearer <token>"', 400);
    let principal: Principal;
    try {
      principal = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw this.unauthorized('invalid_token', error.message);
      throw error;
    }
    // A PAT managing tokens is a PAT call like any other: it says when it lapses and counts as use.
    await notePersonalAccessTokenUse(this.personalAccessTokens, principal, request);
    const scope = this.options.personalAccessTokens.managementScope;
    // An app's own token has no user whose tokens it could manage, whatever its scopes.
    if (principal.subjectKind === 'app' || scope === undefined || !principal.scopes.includes(scope)) {
      const challenge = `Bearer realm="${this.options.issuer}", error="insufficient_scope"${scope ? `, scope="${scope}"` : ''}`;
      throw new OAuthError('insufficient_scope', 'This token may not manage personal access tokens', 403, { 'WWW-Authenticate': challenge });
    }
    return { userId: principal.userId, bearerScopes: principal.scopes };
  }

  private unauthorized(error: 'invalid_token' | undefined, description: string): OAuthError {
    const challenge = `Bearer realm="${this.options.issuer}"${error ? `, error="${error}"` : ''}`;
    return new OAuthError(error ?? 'invalid_token', description, 401, { 'WWW-Authenticate': challenge });
  }
}
