import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ClientsService } from '../clients/clients.service';
import { AUTHORIZATION_CODE_GRANT_TYPE } from '../protocol/grant-types';
import { offers } from '../options/offers';
import { DeviceAuthEvents } from '../events/device-auth-events';
import { scopeCovers } from '../protocol/scope';
import type { DeviceAuthUser, ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { CsrfTokens } from '../pages/csrf-tokens.service';
import { AuthorizationCodeStore } from '../storage/authorization-code.store';
import { GrantStore } from '../storage/grant.store';
import { sha256Hex } from '../tokens/hashing';
import { generateToken } from '../tokens/random-token';
import { TOKEN_PREFIX } from '../protocol/token-prefixes';
import {
  AuthorizationRequest,
  authorizationParameters,
  AuthorizationRequestCheck,
  checkAuthorizationRequest,
} from './authorization-request';

/** RFC 6749 §4.1.2 and RFC 9207: what goes back to the app, success or error, always with `iss`. */
export type AuthorizationResponse = { code: string } | { error: string; error_description?: string };

@Injectable()
export class AuthorizationService {
  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly clients: ClientsService,
    private readonly codes: AuthorizationCodeStore,
    private readonly grants: GrantStore,
    private readonly csrf: CsrfTokens,
    private readonly events: DeviceAuthEvents,
  ) {}

  async check(source: unknown): Promise<AuthorizationRequestCheck> {
    if (!offers(this.options, AUTHORIZATION_CODE_GRANT_TYPE)) return { outcome: 'show-error', problem: 'notOffered' };
    return checkAuthorizationRequest(source, (clientId) => this.clients.findById(clientId), this.options);
  }

  /** The redirect carrying the answer: the app's URI with the answer, its `state` and our `iss` added. */
  redirectUrl(redirectUri: string, state: string | undefined, answer: AuthorizationResponse): string {
    const url = new URL(redirectUri);
    for (const [name, value] of Object.entries(answer)) if (value !== undefined) url.searchParams.append(name, value);
    if (state !== undefined) url.searchParams.append('state', state);
    url.searchParams.append('iss', this.options.issuer);
    return url.href;
  }

  /** With `skipConsentWhenApproved`, a user who approved this app for these scopes (or more) is not asked again. */
  async maySkipConsent(user: DeviceAuthUser, request: AuthorizationRequest): Promise<boolean> {
    if (!this.options.authorizationCode.skipConsentWhenApproved) return false;
    const approvals = await this.grants.listLive(request.client.clientId, user.id, this.options.clock.now());
    return approvals.some((approval) => scopeCovers(approval.scope, request.scope));
  }

  /** Bound to this user and this exact request, so a forged or altered form cannot approve. */
  csrfToken(user: DeviceAuthUser, request: AuthorizationRequest): Promise<string> {
    return this.csrf.issue(user.id, this.csrfPurpose(request));
  }

  isValidCsrfToken(user: DeviceAuthUser, request: AuthorizationRequest, presented: string | undefined): Promise<boolean> {
    return this.csrf.isValid(user.id, this.csrfPurpose(request), presented);
  }

  /** The user approved: a single-use code, stored as a digest, for the app to redeem within `authorizationCode.ttl`. */
  async approve(user: DeviceAuthUser, request: AuthorizationRequest): Promise<string> {
    const code = generateToken(TOKEN_PREFIX.authorizationCode);
    const now = this.options.clock.now();
    await this.codes.insert({
      id: randomUUID(),
      codeHash: sha256Hex(code),
      clientId: request.client.clientId,
      userId: user.id,
      scope: request.scope,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      nonce: request.nonce ?? null,
      resource: request.resource,
      approvedAt: now,
      expiresAt: now + this.options.authorizationCode.ttl * 1000,
      redeemedAt: null,
      grantId: null,
    });
    this.events.emit('authorization.approved', { clientId: request.client.clientId, userId: user.id, scope: request.scope });
    return code;
  }

  deny(user: DeviceAuthUser, request: AuthorizationRequest): void {
    this.events.emit('authorization.denied', { clientId: request.client.clientId, userId: user.id });
  }

  private csrfPurpose(request: AuthorizationRequest): string {
    return `consent\n${sha256Hex(new URLSearchParams(authorizationParameters(request)).toString())}`;
  }
}
