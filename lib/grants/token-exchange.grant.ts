import { Injectable } from '@nestjs/common';
import { isLiveGrant } from '../entities/grant.entity';
import { InvalidRequestError, InvalidTargetError, UnauthorizedClientError } from '../errors/oauth.error';
import { requiredParameter } from '../http/form-parameters';
import { scopeList } from '../protocol/scope';
import { scopeWithin } from '../http/requested-scope';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { requestedResource } from '../resource/resource-indicator';
import { GrantStore } from '../storage/grant.store';
import { AccessTokens, VerifiedAccessToken } from '../tokens/access-token.service';
import { InvalidAccessTokenError } from '../errors/invalid-access-token.error';
import type { TokenResponse } from '../protocol/token-response';
import { TokenIssuer } from '../tokens/token-issuer.service';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT_TYPE } from '../protocol/grant-types';
import type { TokenGrant, TokenRequest } from './token-grant.interface';

/**
 * RFC 8693: an app holding a user's access token (the subject token) gets a token for acting on
 * that user's behalf, for another resource or with fewer scopes. The new token names the app in
 * `act` (§4.1), carries no scope the subject token lacks, ends no later than it, and belongs to its
 * grant, so revoking that grant ends both. The host's `tokenExchange.mayExchange` decides which
 * app may exchange what; without it the grant is not offered at all.
 */
@Injectable()
export class TokenExchangeGrant implements TokenGrant {
  readonly grantType = TOKEN_EXCHANGE_GRANT_TYPE;
  readonly parameters = ['subject_token', 'subject_token_type', 'requested_token_type', 'scope', 'resource'];
  /** The acting app must prove it is the actor the new token names. */
  readonly clientTypes = ['confidential'] as const;
  readonly issuesRefreshTokens = false;
  readonly needsUser = true;

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly accessTokens: AccessTokens,
    private readonly grants: GrantStore,
    private readonly issuer: TokenIssuer,
  ) {}

  /** Offered exactly when the host has a policy (`tokenExchange.mayExchange`). */
  offered(): boolean {
    return this.options.tokenExchange !== null;
  }

  async handle({ client, parameters }: TokenRequest): Promise<TokenResponse> {
    if (requiredParameter(parameters, 'subject_token_type') !== ACCESS_TOKEN_TYPE) {
      throw new InvalidRequestError(`subject_token_type must be ${ACCESS_TOKEN_TYPE}: an access token of this server`);
    }
    const requestedType = parameters.requested_token_type;
    if (requestedType !== undefined && requestedType !== ACCESS_TOKEN_TYPE) {
      throw new InvalidRequestError(`requested_token_type may only be ${ACCESS_TOKEN_TYPE}`);
    }
    // The actor is the authenticated client itself; a separate actor token would name someone unproven.
    if (parameters.actor_token !== undefined) throw new InvalidRequestError('actor_token is not accepted: the acting app is the client');
    if (parameters.audience !== undefined) throw new InvalidTargetError('Name the API with resource (an absolute URI), not audience');

    const subject = await this.liveSubject(requiredParameter(parameters, 'subject_token'));
    const subjectScopes = scopeList(subject.scope);
    const scope = scopeWithin(subjectScopes, parameters.scope);
    const resource = requestedResource(this.options, parameters.resource) ?? subject.audience;
    const allowed = await this.options.tokenExchange?.mayExchange({
      clientId: client.clientId,
      subject: { userId: subject.userId, clientId: subject.clientId, scopes: subjectScopes, audience: subject.audience },
      resource,
      scopes: scopeList(scope),
    });
    if (allowed !== true)
      throw new UnauthorizedClientError('This app may not exchange this token for this resource (tokenExchange policy)');
    return this.issuer.issueDelegatedToken(client, subject, scope, resource, this.grantType);
  }

  /** A user's access token of this server whose grant is still live, checked at the source rather than a cache. */
  private async liveSubject(token: string): Promise<VerifiedAccessToken & { userId: string }> {
    let subject: VerifiedAccessToken;
    try {
      subject = await this.accessTokens.verify(token);
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw new InvalidRequestError(`subject_token: ${error.message}`);
      throw error;
    }
    if (!isLiveGrant(await this.grants.findById(subject.grantId), this.options.clock.now())) {
      throw new InvalidRequestError('subject_token: The access token has been revoked');
    }
    if (subject.userId === null) throw new InvalidRequestError('subject_token must speak for a user, not an app acting for itself');
    return { ...subject, userId: subject.userId };
  }
}
