import { Injectable } from '@nestjs/common';
import { ClientsService } from '../clients/clients.service';
import { ClientRegistrationError } from '../errors/client-registration.error';
import type { OAuthClient } from '../entities/client.entity';
import { InvalidClientMetadataError, InvalidRedirectUriError } from '../errors/oauth.error';
import { DeviceAuthEvents } from '../events/device-auth-events';
import { GrantRegistry } from '../grants/grant-registry';
import { scopeList } from '../protocol/scope';
import { ClientMetadata, requestedMetadata } from './client-metadata';

/** RFC 7591 §3.2.1: the new app's id, when it was issued (seconds), and its metadata as registered. */
export interface RegisteredClientMetadata extends ClientMetadata {
  client_id: string;
  client_id_issued_at: number;
}

/** Turns a registration request into a public partner app, through the same rules as ClientsService.register. */
@Injectable()
export class DynamicRegistrations {
  constructor(
    private readonly clients: ClientsService,
    private readonly events: DeviceAuthEvents,
    private readonly grants: GrantRegistry,
  ) {}

  async register(body: unknown, allowedScopes: string[], ip: string | null): Promise<RegisteredClientMetadata> {
    const metadata = requestedMetadata(body, allowedScopes, (grantTypes) => this.grants.responseTypesFor(grantTypes));
    const client = await this.create(metadata);
    this.events.emit('client.registered', { clientId: client.clientId, name: client.name, ip });
    return {
      client_id: client.clientId,
      client_id_issued_at: Math.floor(client.createdAt / 1000),
      client_name: client.name,
      redirect_uris: client.redirectUris,
      grant_types: client.grantTypes,
      response_types: this.grants.responseTypesFor(client.grantTypes),
      token_endpoint_auth_method: 'none',
      scope: client.scopes.join(' '),
    };
  }

  private async create(metadata: ClientMetadata): Promise<OAuthClient> {
    try {
      const { client } = await this.clients.register({
        name: metadata.client_name,
        type: 'public',
        mode: 'partner',
        // Unknown and unoffered grant types are refused by register() itself.
        grantTypes: metadata.grant_types,
        scopes: scopeList(metadata.scope),
        redirectUris: metadata.redirect_uris,
      });
      return client;
    } catch (error) {
      if (!(error instanceof ClientRegistrationError)) throw error;
      throw error.field === 'redirectUris' ? new InvalidRedirectUriError(error.message) : new InvalidClientMetadataError(error.message);
    }
  }
}
