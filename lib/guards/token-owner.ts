import { Injectable } from '@nestjs/common';
import { bearerChallenge } from '../protocol/bearer-challenge';
import { bearerFromHeader } from '../protocol/bearer-credentials';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { InvalidTokenError, OAuthError } from '../errors/oauth.error';
import { PersonalAccessTokenUse } from '../pats/personal-access-token-use';
import type { Principal } from '../tokens/principal';
import { TokenVerifier } from './token-verifier.service';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { InvalidAccessTokenError } from '../errors/invalid-access-token.error';

/** Who is managing PATs: the signed-in user, or a bearer token of theirs with the management scope. */
export interface TokenOwner {
  userId: string;
  /** Set when the caller is a bearer token: new PATs may not carry more than it has. */
  bearerScopes?: string[];
}

@Injectable()
export class TokenOwners {
  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly verifier: TokenVerifier,
    private readonly personalAccessTokenUse: PersonalAccessTokenUse,
  ) {}

  /** `response` receives the PAT expiry header when the caller is a PAT. */
  async fromRequest(request: DeviceAuthRequest, response: unknown): Promise<TokenOwner> {
    if (request.headers.authorization !== undefined) return this.fromBearer(request, response);
    const user = await this.options.resolveUser(request);
    if (!user) throw new InvalidTokenError(this.options.issuer, 'Sign in, or send a bearer token with the token-management scope', false);
    return { userId: user.id };
  }

  private async fromBearer(request: DeviceAuthRequest, response: unknown): Promise<TokenOwner> {
    // Only the header: a JSON body has no place for a token, and the guard's header rules apply.
    const presented = bearerFromHeader(request.headers.authorization);
    if (presented.outcome !== 'token') throw new OAuthError('invalid_request', 'Send "Authorization: Bearer <token>"', 400);
    let principal: Principal;
    try {
      principal = await this.verifier.verify(presented.token);
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw new InvalidTokenError(this.options.issuer, error.message, true);
      throw error;
    }
    // A PAT managing tokens is a PAT call like any other: it says when it lapses and counts as use.
    await this.personalAccessTokenUse.note(principal, request, response);
    const scope = this.options.personalAccessTokens.managementScope;
    // An app's own token has no user whose tokens it could manage, whatever its scopes.
    if (principal.subjectKind === 'app' || scope === undefined || !principal.scopes.includes(scope)) {
      const challenge = bearerChallenge(this.options.issuer, { error: 'insufficient_scope', scope });
      throw new OAuthError('insufficient_scope', 'This token may not manage personal access tokens', 403, {
        'WWW-Authenticate': challenge,
      });
    }
    return { userId: principal.userId, bearerScopes: principal.scopes };
  }
}
