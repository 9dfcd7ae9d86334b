import { Injectable } from '@nestjs/common';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { OAuthClient } from '../entities/client.entity';
import { InvalidClientError, InvalidRequestError, TooManyRequestsError } from '../errors/oauth.error';
import { RateLimits } from '../limits/rate-limits.service';
import { ClientsService } from '../clients/clients.service';
import { safeEqual, sha256Hex } from '../tokens/hashing';
import type { FormParameters } from '../http/form-parameters';

interface PresentedCredentials {
  clientId: string;
  clientSecret?: string;
  viaBasic: boolean;
}

/** RFC 6749 Appendix B: Basic credentials are form-encoded before base64. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new InvalidClientError('The Basic credentials are not valid form-encoding', true);
  }
}

function basicCredentials(header: string): PresentedCredentials {
  const encoded = header.slice('basic '.length).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new InvalidClientError('The Basic credentials are not valid base64', true);
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new InvalidClientError('The Basic credentials must be client_id:client_secret', true);
  return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)), viaBasic: true };
}

function presentedCredentials(request: DeviceAuthRequest, parameters: FormParameters): PresentedCredentials {
  const authorization = request.headers.authorization;
  if (authorization !== undefined && /^basic /i.test(authorization)) {
    if (parameters.client_secret !== undefined) {
      throw new InvalidRequestError('Use one client authentication method: Basic or client_secret in the body, not both');
    }
    const basic = basicCredentials(authorization);
    if (parameters.client_id !== undefined && parameters.client_id !== basic.clientId) {
      throw new InvalidRequestError('client_id in the body does not match the Basic credentials');
    }
    return basic;
  }
  if (parameters.client_id === undefined) throw new InvalidClientError('Missing client_id');
  return { clientId: parameters.client_id, clientSecret: parameters.client_secret, viaBasic: false };
}

function secretMatches(presented: PresentedCredentials, client: OAuthClient): boolean {
  return (
    presented.clientSecret !== undefined && client.secretHash !== null && safeEqual(sha256Hex(presented.clientSecret), client.secretHash)
  );
}

/**
 * Who is calling a machine endpoint: public clients by client_id, confidential ones by secret.
 * Wrong secrets are counted per client, so no endpoint can serve as a secret-guessing oracle.
 */
@Injectable()
export class ClientAuthenticator {
  constructor(
    private readonly clients: ClientsService,
    private readonly limits: RateLimits,
  ) {}

  async authenticate(request: DeviceAuthRequest, parameters: FormParameters): Promise<OAuthClient> {
    const presented = presentedCredentials(request, parameters);
    const found = await this.clients.lookup(presented.clientId);
    if (found.client === null) throw new InvalidClientError(found.problem, presented.viaBasic);
    const { client } = found;
    if (client.type === 'public') {
      if (presented.clientSecret !== undefined) throw new InvalidClientError('A public client has no secret', presented.viaBasic);
      return client;
    }
    let authenticated = false;
    const blockedFor = await this.limits.attempt([{ limit: 'wrongClientSecrets', key: client.clientId }], async () => {
      authenticated = secretMatches(presented, client);
      return authenticated;
    });
    if (blockedFor !== null) throw new TooManyRequestsError('Too many failed client authentications', blockedFor);
    if (!authenticated) throw new InvalidClientError('Client authentication failed', presented.viaBasic);
    return client;
  }
}
