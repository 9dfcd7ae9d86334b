import { Injectable } from '@nestjs/common';
import { ClientRegistrationError } from '../errors/client-registration.error';
import { CacheInvalidation } from '../cache/cache-invalidation.service';
import { ExpiringCache } from '../cache/expiring-cache';
import { Clock } from '../clock';
import { ClientMode, ClientType, OAuthClient } from '../entities/client.entity';
import { clientNameProblem } from './client-name';
import { redirectUriProblem } from './redirect-uri';
import { GrantRegistry } from '../grants/grant-registry';
import { AUTHORIZATION_CODE_GRANT_TYPE, GrantType } from '../protocol/grant-types';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectClock } from '../options/inject-clock.decorator';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { generateToken } from '../tokens/random-token';
import { sha256Hex } from '../tokens/hashing';
import { ClientStore } from '../storage/client.store';
import { ClientLookup, ClientMetadataDocuments } from './metadata-documents/client-metadata-documents.service';

export interface RegisterClientInput {
  /** Chosen by the host, or generated. */
  clientId?: string;
  name: string;
  type: ClientType;
  mode: ClientMode;
  /** The one user a personal app is bound to: required for personal apps, forbidden otherwise. */
  ownerUserId?: string;
  grantTypes: GrantType[];
  scopes: string[];
  /** Where the authorization-code flow may return: https, or http on 127.0.0.1 / [::1] (any port). Required with that grant. */
  redirectUris?: string[];
  /** Seconds this app's access tokens live; the module's `accessToken.ttl` by default. */
  accessTokenTtl?: number;
}

export interface RegisteredClient {
  client: OAuthClient;
  /** Confidential clients only: shown once, stored as a digest. */
  clientSecret?: string;
}

/** How long a looked-up client (or its absence) is trusted from memory. */
export const CLIENT_CACHE_MS = 5_000;

/** What a client id may look like (RFC 3986 unreserved characters). */
export const CLIENT_ID_SHAPE = /^[A-Za-z0-9._~-]{1,100}$/;

/** Registers and looks up apps. Host code uses it to provision the apps its users sign in with. */
@Injectable()
export class ClientsService {
  private readonly cache = new ExpiringCache<OAuthClient | null>(CLIENT_CACHE_MS);

  constructor(
    private readonly clients: ClientStore,
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    @InjectClock() private readonly clock: Clock,
    private readonly invalidation: CacheInvalidation,
    private readonly metadataDocuments: ClientMetadataDocuments,
    private readonly grants: GrantRegistry,
  ) {
    invalidation.on('client-changed', (clientId) => this.cache.delete(clientId));
  }

  /**
   * Every token request looks its client up, so lookups (unknown ids too) are served from a small
   * bounded cache for `CLIENT_CACHE_MS`: a change made in SQL is seen within that time; a
   * registration through this service at once here, and with Redis at once on every instance.
   */
  async findById(clientId: string): Promise<OAuthClient | null> {
    return (await this.lookup(clientId)).client;
  }

  /** Whether `clientId` names an app by the URL of its metadata document, which a lookup may fetch. */
  identifiesByUrl(clientId: string): boolean {
    return this.metadataDocuments.handles(clientId);
  }

  /** The app, or why there is none: what the machine endpoints tell a client they refuse. */
  async lookup(clientId: string): Promise<ClientLookup> {
    // With `clientIdMetadataDocuments`, an https client id is the URL of the app's own description.
    if (this.identifiesByUrl(clientId)) return this.metadataDocuments.lookup(clientId);
    const client = await this.registered(clientId);
    return client ? { client } : { client: null, problem: 'Unknown client' };
  }

  private async registered(clientId: string): Promise<OAuthClient | null> {
    // No client has another shape, and PostgreSQL refuses some (a NUL) with an error: never looked up, never cached.
    if (!CLIENT_ID_SHAPE.test(clientId)) return null;
    const now = this.clock.now();
    const cached = this.cache.get(clientId, now);
    if (cached !== undefined) return cached;
    const client = await this.clients.findById(clientId);
    this.cache.set(clientId, client, now);
    return client;
  }

  async register(input: RegisterClientInput): Promise<RegisteredClient> {
    this.validate(input);
    const clientSecret = input.type === 'confidential' ? generateToken('bcs_') : undefined;
    const client: OAuthClient = {
      clientId: input.clientId ?? generateToken('app_').slice(4, 28),
      name: input.name,
      type: input.type,
      mode: input.mode,
      ownerUserId: input.mode === 'personal' ? (input.ownerUserId as string) : null,
      secretHash: clientSecret === undefined ? null : sha256Hex(clientSecret),
      grantTypes: [...new Set(input.grantTypes)],
      scopes: [...new Set(input.scopes)],
      redirectUris: [...new Set(input.redirectUris ?? [])],
      accessTokenTtl: input.accessTokenTtl ?? null,
      createdAt: this.clock.now(),
    };
    await this.clients.insert(client);
    await this.invalidation.announce('client-changed', client.clientId);
    return { client, clientSecret };
  }

  private validate(input: RegisterClientInput): void {
    if (input.clientId !== undefined && !CLIENT_ID_SHAPE.test(input.clientId)) {
      throw new ClientRegistrationError('clientId must be 1-100 characters of A-Z a-z 0-9 . _ ~ -');
    }
    const nameProblem = clientNameProblem(input.name ?? '');
    if (nameProblem !== null) throw new ClientRegistrationError(`name ${nameProblem}`);
    if (input.type !== 'public' && input.type !== 'confidential')
      throw new ClientRegistrationError('type must be "public" or "confidential"');
    if (input.mode !== 'personal' && input.mode !== 'partner') throw new ClientRegistrationError('mode must be "personal" or "partner"');
    if (input.mode === 'personal' && !input.ownerUserId)
      throw new ClientRegistrationError('a personal app needs ownerUserId, the one user it is bound to');
    if (input.mode !== 'personal' && input.ownerUserId !== undefined)
      throw new ClientRegistrationError('ownerUserId is only for personal apps');
    for (const grantType of input.grantTypes) {
      const grant = this.grants.grant(grantType);
      if (grant === undefined) throw new ClientRegistrationError(`unknown grant type "${grantType}"`);
      if (!this.grants.offers(grantType))
        throw new ClientRegistrationError(`grant type "${grantType}" is not offered by this server (options.grantTypes)`);
      // Each grant names the apps it is for: client credentials, say, only those that prove who they are.
      if (!grant.clientTypes.includes(input.type))
        throw new ClientRegistrationError(
          `a ${input.type} client cannot use ${grantType} (it is for ${grant.clientTypes.join(' and ')} clients)`,
        );
    }
    for (const scope of input.scopes) {
      if (!Object.hasOwn(this.options.scopes, scope)) throw new ClientRegistrationError(`scope "${scope}" is not one of options.scopes`);
    }
    const redirectUris = input.redirectUris ?? [];
    for (const uri of redirectUris) {
      const problem = redirectUriProblem(uri);
      if (problem !== null) throw new ClientRegistrationError(problem, 'redirectUris');
    }
    if (input.grantTypes.includes(AUTHORIZATION_CODE_GRANT_TYPE) && redirectUris.length === 0) {
      throw new ClientRegistrationError('the authorization_code grant needs at least one redirect URI', 'redirectUris');
    }
    if (input.accessTokenTtl !== undefined && (!Number.isInteger(input.accessTokenTtl) || input.accessTokenTtl <= 0)) {
      throw new ClientRegistrationError('accessTokenTtl must be a positive whole number of seconds');
    }
  }
}
