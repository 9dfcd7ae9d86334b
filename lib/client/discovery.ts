import { DeviceAuthClientError } from './errors';

/** The parts of the RFC 8414 metadata document the kit uses. */
export interface ServerMetadata {
  issuer: string;
  token_endpoint: string;
  /** Present when the server offers the device flow (RFC 8628). */
  device_authorization_endpoint?: string;
  /** Present when the server offers the authorization code flow (RFC 6749 §4.1). */
  authorization_endpoint?: string;
  /** RFC 9207: the server adds `iss` to every authorization response, so one without it is refused. */
  authorization_response_iss_parameter_supported?: boolean;
  revocation_endpoint?: string;
}

/** The endpoints one of the kit's login flows starts at. */
type FlowEndpoint = 'device_authorization_endpoint' | 'authorization_endpoint';

/**
 * Reads `/.well-known/oauth-authorization-server` and checks it speaks for `issuer` (RFC 8414 §3.3).
 * Each login flow asks `endpointOf` for the endpoint it needs, so a server offering only one flow
 * still serves refreshes and logouts.
 */
export async function discover(issuer: string, fetchImpl: typeof fetch = fetch, signal?: AbortSignal): Promise<ServerMetadata> {
  const base = issuer.replace(/\/+$/, '');
  const response = await fetchImpl(`${base}/.well-known/oauth-authorization-server`, { headers: { accept: 'application/json' }, signal });
  if (!response.ok) throw new DeviceAuthClientError(`Could not read the server's metadata (HTTP ${response.status})`);
  const metadata = (await response.json()) as Partial<ServerMetadata>;
  if (metadata.issuer !== base) throw new DeviceAuthClientError(`The metadata names issuer ${String(metadata.issuer)}, not ${base}`);
  if (!metadata.token_endpoint) throw new DeviceAuthClientError('The metadata names no token_endpoint');
  return metadata as ServerMetadata;
}

/** The endpoint a login flow starts at, or an error naming the grant the server does not offer. */
export function endpointOf(metadata: ServerMetadata, endpoint: FlowEndpoint, grant: string): string {
  const url = metadata[endpoint];
  if (!url) throw new DeviceAuthClientError(`The server does not offer ${grant} (its metadata has no ${endpoint})`);
  return url;
}
