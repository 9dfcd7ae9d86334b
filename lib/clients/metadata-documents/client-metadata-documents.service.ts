import { Injectable } from '@nestjs/common';
import { ExpiringCache } from '../../cache/expiring-cache';
import { Clock } from '../../clock';
import { OAuthClient } from '../../entities/client.entity';
import { GrantRegistry } from '../../grants/grant-registry';
import type { ResolvedDeviceAuthOptions } from '../../options/device-auth-options.interface';
import { InjectClock } from '../../options/inject-clock.decorator';
import { InjectDeviceAuthOptions } from '../../options/inject-options.decorator';
import { cacheLifetimeSeconds } from './cache-lifetime';
import { ClientMetadataDocumentError } from '../../errors/client-metadata-document.error';
import { clientIdUrlProblem, looksLikeClientIdUrl } from './client-id-url';
import { fetchMetadataDocument } from '../../http/metadata-document-fetcher';
import { clientFromMetadataDocument } from './metadata-document-validator';

/** Documents kept in memory at most: each is small, but anyone can name new URLs. */
const MAX_CACHED_DOCUMENTS = 1_000;

/** An app, or why the client id names none (an RFC 6749 `error_description`). */
export type ClientLookup = { client: OAuthClient } | { client: null; problem: string };

/**
 * Apps identified by a Client ID Metadata Document URL (`clientIdMetadataDocuments`): fetched when
 * first named, kept as long as the document's caching headers say within the host's bounds, never
 * stored. Failures are not kept (the draft forbids caching errors); requests that name the same URL
 * while it is being fetched share that one fetch, so a burst costs the app's server one request.
 */
@Injectable()
export class ClientMetadataDocuments {
  private readonly cache = new ExpiringCache<OAuthClient>(0, MAX_CACHED_DOCUMENTS);
  private readonly inFlight = new Map<string, Promise<ClientLookup>>();

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    @InjectClock() private readonly clock: Clock,
    private readonly grants: GrantRegistry,
  ) {}

  /** Whether this client id is a metadata document URL to look up here (the feature is on). */
  handles(clientId: string): boolean {
    return this.options.clientIdMetadataDocuments !== null && looksLikeClientIdUrl(clientId);
  }

  lookup(clientId: string): Promise<ClientLookup> {
    const cached = this.cache.get(clientId, this.clock.now());
    if (cached !== undefined) return Promise.resolve({ client: cached });
    let pending = this.inFlight.get(clientId);
    if (pending === undefined) {
      pending = this.fetch(clientId).finally(() => this.inFlight.delete(clientId));
      this.inFlight.set(clientId, pending);
    }
    return pending;
  }

  private async fetch(clientId: string): Promise<ClientLookup> {
    const settings = this.options.clientIdMetadataDocuments;
    if (settings === null) return { client: null, problem: 'Unknown client' };
    const urlProblem = clientIdUrlProblem(clientId, settings.allowPrivateAddresses);
    if (urlProblem !== null) return { client: null, problem: `Unknown client: ${urlProblem}` };
    try {
      const { document, cacheControl } = await fetchMetadataDocument(new URL(clientId), settings);
      const now = this.clock.now();
      const client = clientFromMetadataDocument(
        clientId,
        document,
        { grantTypes: this.grants.offeredTo('public'), scopes: settings.scopes },
        now,
      );
      this.cache.set(clientId, client, now, cacheLifetimeSeconds(cacheControl, settings) * 1000);
      return { client };
    } catch (error) {
      if (!(error instanceof ClientMetadataDocumentError)) throw error;
      return { client: null, problem: `The client metadata document at ${clientId} cannot be used: ${error.message}` };
    }
  }
}
