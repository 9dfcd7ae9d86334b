import { Injectable } from '@nestjs/common';
import { InvalidGrantError, InvalidScopeError } from '../errors/oauth.error';
import { scopeCovers, scopeList } from '../protocol/scope';
import { scopeWithin } from '../http/requested-scope';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { offers } from '../options/offers';
import { refuseOtherResource, requestedResource } from '../resource/resource-indicator';
import { GrantStore } from '../storage/grant.store';
import type { TokenResponse } from '../protocol/token-response';
import { TokenIssuer } from '../tokens/token-issuer.service';
import { CLIENT_CREDENTIALS_GRANT_TYPE } from '../protocol/grant-types';
import type { TokenGrant, TokenRequest } from './token-grant.interface';

/**
 * RFC 6749 §4.4: a confidential app (only those may be registered for this grant) gets a token for
 * itself, with the scopes it asks for or, asking none, all of its registered scopes. No refresh
 * token: the app authenticates again instead. A partner app may name a `user_id` to act for a user
 * who approved it earlier through the device or code flow; the token then belongs to that approval.
 */
@Injectable()
export class ClientCredentialsGrant implements TokenGrant {
  readonly grantType = CLIENT_CREDENTIALS_GRANT_TYPE;
  readonly parameters = ['scope', 'resource', 'user_id'];
  /** RFC 6749 §4.4: only an app that can authenticate. */
  readonly clientTypes = ['confidential'] as const;
  readonly issuesRefreshTokens = false;
  readonly needsUser = false;

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly grants: GrantStore,
    private readonly issuer: TokenIssuer,
  ) {}

  offered(): boolean {
    return offers(this.options, this.grantType);
  }

  async handle({ client, parameters }: TokenRequest): Promise<TokenResponse> {
    const userId = parameters.user_id;
    if (userId === undefined) {
      const asked = { scope: scopeWithin(client.scopes, parameters.scope), resource: requestedResource(this.options, parameters.resource) };
      return this.issuer.issueAppToken(client, asked, this.grantType);
    }

    const approvals = await this.grants.listLive(client.clientId, userId, this.options.clock.now());
    if (approvals.length === 0) throw new InvalidGrantError('This user has not approved this app, or the approval has ended');
    // The newest approval that covers the request: scopes never reach past what the user approved.
    const requested = parameters.scope;
    const approval = requested === undefined ? approvals[0] : approvals.find((candidate) => scopeCovers(candidate.scope, requested));
    if (approval === undefined) throw new InvalidScopeError('The user has not approved these scopes for this app');
    refuseOtherResource(this.options, approval.resource, parameters.resource);
    return this.issuer.respond(client, approval, scopeWithin(scopeList(approval.scope), requested), this.grantType, undefined);
  }
}
