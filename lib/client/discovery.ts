import { DeviceAuthClientError } from './errors';

/** The parts of the RFC 8414 metadata document the kit uses. */
export interface ServerMetadata {
  issuer: string;
  token_endpoint: string;
  device_authorization_endpoint: string;
  revocation_endpoint?: string;
}

/** Reads `/.well-known/oauth-authorization-server` and checks it speaks for `issuer` (RFC 8414 §3.3). */
export async function discover(issuer: string, fetchImpl: typeof fetch = fetch, signal?: AbortSignal): Promise<ServerMetadata> {
  const base = issuer.replace(/\/+$/, '');
  const response = await fetchImpl(`${base}/.well-known/oauth-authorization-server`, { headers: { accept: 'application/json' }, signal });
  if (!response.ok) throw new DeviceAuthClientError(`Could not read the server's metadata (HTTP ${response.status})`);
  const metadata = (await response.json()) as Partial<ServerMetadata>;
  if (metadata.issuer !== base) throw new DeviceAuthClientError(`The metadata names issuer ${String(metadata.issuer)}, not ${base}`);
  if (!metadata.token_endpoint || !metadata.device_authorization_endpoint) {
    throw new DeviceAuthClientError('The server does not offer the device authorization grant');
  }
  return metadata as ServerMetadata;
}
