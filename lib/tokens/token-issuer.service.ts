import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mayActFor } from '../entities/personal-app-owner';
import { OAuthClient } from '../entities/client.entity';
import { Grant, UserGrant } from '../entities/grant.entity';
import { InvalidGrantError, InvalidRequestError } from '../errors/oauth.error';
import { RefreshToken } from '../entities/refresh-token.entity';
import { DeviceAuthEvents } from '../events/device-auth-events';
import { ACCESS_TOKEN_TYPE, REFRESH_TOKEN_GRANT_TYPE } from '../protocol/grant-types';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { offers } from '../options/offers';
import { GrantStore } from '../storage/grant.store';
import { UnitOfWork } from '../storage/unit-of-work';
import { IdTokens, SignIn } from './id-tokens.service';
import { OFFLINE_ACCESS_SCOPE, OPENID_SCOPE } from '../protocol/oidc-scopes';
import { scopeList } from '../protocol/scope';
import { grantAudience } from '../resource/resource-indicator';
import { AccessTokens, VerifiedAccessToken } from './access-token.service';
import { sha256Hex } from './hashing';
import { generateToken } from './random-token';
import { TOKEN_PREFIX } from '../protocol/token-prefixes';
import type { TokenResponse } from '../protocol/token-response';

/** What a user approved for an app: a grant is made of it. */
export interface Approval {
  userId: string;
  /** Space-delimited scopes. */
  scope: string;
  /** RFC 8707: the resource the tokens are for; null for `accessToken.audience`. */
  resource: string | null;
}

/**
 * What the unit of work that starts a user grant also changes, inside its transaction: the code
 * spent for the grant. False when another request spent it first: the whole unit is undone.
 */
export type GrantClaim = (grant: UserGrant) => Promise<boolean>;

/** Undoes a unit of work whose claim was lost. */
class ClaimLost extends Error {}

/** Creates grants and answers token requests with a JWT access token and, where allowed, a refresh token. */
@Injectable()
export class TokenIssuer {
  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly accessTokens: AccessTokens,
    private readonly grants: GrantStore,
    private readonly units: UnitOfWork,
    private readonly events: DeviceAuthEvents,
    private readonly idTokens: IdTokens,
  ) {}

  /**
   * A new grant for what the user approved, `claim` and the first refresh token (`refreshToken`, or
   * a random one) as one unit of work, so a crash leaves all of them or none; then its first tokens.
   * Null when the claim was lost: nothing was written.
   */
  async issueUserGrant(
    client: OAuthClient,
    approved: Approval,
    grantType: string,
    signIn: SignIn,
    { claim, refreshToken = generateToken(TOKEN_PREFIX.refreshToken) }: { claim: GrantClaim; refreshToken?: string },
  ): Promise<TokenResponse | null> {
    // A personal app's tokens always speak for its one bound user, whatever grant led here.
    if (!mayActFor(client, approved.userId)) throw new InvalidGrantError('This personal app is bound to another user');
    let started: { grant: UserGrant; refreshToken: string | undefined };
    try {
      started = await this.units.run(async () => {
        const grant = await this.insertGrant(client, approved.userId, approved, this.options.refreshToken.maxLifetime);
        if (!(await claim(grant))) throw new ClaimLost();
        if (!this.issuesRefreshToken(client, grant)) return { grant, refreshToken: undefined };
        await this.grants.insertRefreshToken(this.refreshTokenRow(grant, refreshToken, null));
        return { grant, refreshToken };
      });
    } catch (error) {
      if (error instanceof ClaimLost) return null;
      throw error;
    }
    return this.firstTokens(client, started.grant, grantType, signIn, started.refreshToken);
  }

  /**
   * Whether a user grant of this app gets a refresh token: where the app may refresh and, with
   * `refreshToken.requireOfflineAccess`, was granted `offline_access`.
   */
  issuesRefreshToken(client: OAuthClient, grant: UserGrant): boolean {
    const mayRefresh = offers(this.options, REFRESH_TOKEN_GRANT_TYPE) && client.grantTypes.includes(REFRESH_TOKEN_GRANT_TYPE);
    return mayRefresh && (!this.options.refreshToken.requireOfflineAccess || scopeList(grant.scope).includes(OFFLINE_ACCESS_SCOPE));
  }

  /** The answer to a grant's first token request: an access token, `refreshToken`, and an ID token when `openid` was granted. */
  async firstTokens(
    client: OAuthClient,
    grant: UserGrant,
    grantType: string,
    signIn: SignIn,
    refreshToken: string | undefined,
  ): Promise<TokenResponse> {
    const response = await this.respond(client, grant, grant.scope, grantType, refreshToken);
    if (!scopeList(grant.scope).includes(OPENID_SCOPE)) return response;
    return {
      ...response,
      id_token: await this.idTokens.mint(client.clientId, grant.userId, signIn, response.access_token, response.expires_in),
    };
  }

  /**
   * An app's token for itself (client credentials): a grant of its own that lives exactly as long
   * as the one access token, so revoking the token (or the grant) works as for any other.
   */
  async issueAppToken(client: OAuthClient, asked: Omit<Approval, 'userId'>, grantType: string): Promise<TokenResponse> {
    const grant = await this.insertGrant(client, null, asked, this.accessTokenTtl(client));
    return this.respond(client, grant, asked.scope, grantType, undefined);
  }

  /**
   * A user's token without a refresh token or a sign-in (a workload speaking for its user): a grant
   * that lives exactly as long as the one access token, as an app's own token does.
   */
  async issueUserToken(client: OAuthClient, approved: Approval, grantType: string): Promise<TokenResponse> {
    if (!mayActFor(client, approved.userId)) throw new InvalidGrantError('This personal app is bound to another user');
    const grant = await this.insertGrant(client, approved.userId, approved, this.accessTokenTtl(client));
    return this.respond(client, grant, approved.scope, grantType, undefined);
  }

  /**
   * Token exchange: a token of the subject token's grant (revoking it ends both) that names `actor`
   * as acting for the subject's user, after whoever acted before (`act` nests, RFC 8693 §4.1), and
   * ends no later than the subject token. No refresh token: the actor exchanges again.
   */
  async issueDelegatedToken(
    actor: OAuthClient,
    subject: VerifiedAccessToken & { userId: string },
    scope: string,
    resource: string,
    grantType: string,
  ): Promise<TokenResponse> {
    // A personal app speaks only for its one user, here as everywhere.
    if (!mayActFor(actor, subject.userId)) throw new InvalidGrantError('This personal app is bound to another user');
    const remaining = subject.expiresAt - Math.floor(this.options.clock.now() / 1000);
    if (remaining < 1) throw new InvalidRequestError('subject_token: The access token has expired');
    const ttl = Math.min(this.accessTokenTtl(actor), remaining);
    const act = { sub: actor.clientId, ...(subject.actor === null ? {} : { act: subject.actor }) };
    const grant = { grantId: subject.grantId, clientId: actor.clientId, userId: subject.userId };
    const accessToken = await this.accessTokens.mint({ ...grant, scope, audience: resource, actor: act }, ttl);
    this.events.emit('tokens.issued', { ...grant, scope, grantType });
    return { access_token: accessToken, issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'Bearer', expires_in: ttl, scope };
  }

  /** The stored row of a refresh token of `grant`; it never outlives the grant. */
  refreshTokenRow(grant: UserGrant, token: string, parentId: string | null): RefreshToken {
    const now = this.options.clock.now();
    return {
      id: randomUUID(),
      tokenHash: sha256Hex(token),
      familyId: grant.id,
      parentId,
      clientId: grant.clientId,
      userId: grant.userId,
      scope: grant.scope,
      createdAt: now,
      expiresAt: Math.min(now + this.options.refreshToken.ttl * 1000, grant.expiresAt),
      consumedAt: null,
      revokedAt: null,
    };
  }

  /** A fresh access token for the grant with `scope`, plus the refresh token to hand back. */
  async respond(
    client: OAuthClient,
    grant: Grant,
    scope: string,
    grantType: string,
    refreshToken: string | undefined,
  ): Promise<TokenResponse> {
    const ttl = this.accessTokenTtl(client);
    const accessToken = await this.accessTokens.mint(
      { userId: grant.userId, clientId: grant.clientId, scope, grantId: grant.id, audience: grantAudience(this.options, grant.resource) },
      ttl,
    );
    this.events.emit('tokens.issued', { grantId: grant.id, clientId: grant.clientId, userId: grant.userId, scope, grantType });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ttl,
      ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
      scope,
    };
  }

  /** The app's own access-token lifetime, or the module's. */
  private accessTokenTtl(client: OAuthClient): number {
    return client.accessTokenTtl ?? this.options.accessToken.ttl;
  }

  private async insertGrant<U extends string | null>(
    client: OAuthClient,
    userId: U,
    { scope, resource }: Omit<Approval, 'userId'>,
    lifetimeSeconds: number,
  ): Promise<Grant & { userId: U }> {
    const now = this.options.clock.now();
    const grant = {
      id: randomUUID(),
      clientId: client.clientId,
      userId,
      scope,
      resource,
      createdAt: now,
      expiresAt: now + lifetimeSeconds * 1000,
      revokedAt: null,
      revocationReason: null,
    };
    await this.grants.insert(grant);
    return grant;
  }
}
