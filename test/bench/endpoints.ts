/** The two endpoints the flow scenarios load, as a server's discovery document names them. */
export interface FlowEndpoints {
  deviceAuthorization: string;
  token: string;
}

/** Reads the endpoints from `wellKnownPath` and points them at `baseUrl` (the issuer may name another host). */
export async function discoverEndpoints(baseUrl: string, wellKnownPath: string): Promise<FlowEndpoints> {
  const metadata = (await (await fetch(`${baseUrl}${wellKnownPath}`)).json()) as {
    device_authorization_endpoint?: string;
    token_endpoint?: string;
  };
  if (metadata.device_authorization_endpoint === undefined || metadata.token_endpoint === undefined) {
    throw new Error(`${baseUrl}${wellKnownPath} names no device authorization or token endpoint`);
  }
  const here = (endpoint: string) => `${baseUrl}${new URL(endpoint).pathname}`;
  return { deviceAuthorization: here(metadata.device_authorization_endpoint), token: here(metadata.token_endpoint) };
}
