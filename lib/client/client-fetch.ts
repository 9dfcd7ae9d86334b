import { DeviceAuthClientError, ServerUnreachableError } from './errors';
import { KIT_VERSION } from './version';

/** Visible ASCII words separated by single spaces: what a header may carry (Node refuses the rest). */
const PRODUCT = /^[\x21-\x7e]+( [\x21-\x7e]+)*$/;
const MAX_PRODUCT_LENGTH = 200;

/**
 * `acme-cli/1.4.0 nest-device-auth/0.1.0 node/20.20.2 linux`: the CLI's own product first (RFC 9110
 * §10.1.5), so the server's confirmation page can name it, then the kit, the runtime and the platform.
 */
export function userAgentOf(product?: string): string {
  if (product !== undefined && (!PRODUCT.test(product) || product.length > MAX_PRODUCT_LENGTH)) {
    throw new DeviceAuthClientError(`userAgent must be printable ASCII words such as "acme-cli/1.4.0", not ${JSON.stringify(product)}`);
  }
  return [product, `nest-device-auth/${KIT_VERSION}`, `node/${process.versions.node}`, process.platform].filter(Boolean).join(' ');
}

/**
 * undici's network failures are TypeErrors with the system error as their cause; an abort is not
 * one. By name, not instanceof: fetch may come from another realm (a VM context, a test runner).
 */
function isNetworkFailure(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'TypeError' && (error as Error).cause !== undefined;
}

const urlOf = (input: Parameters<typeof fetch>[0]): string => (input instanceof Request ? input.url : String(input));

/**
 * The fetch behind every request of the kit: it sends the User-Agent (unless the caller set one),
 * and turns fetch's bare "fetch failed" into a ServerUnreachableError naming the server.
 */
export function clientFetch(fetchImpl: typeof fetch, product?: string): typeof fetch {
  const userAgent = userAgentOf(product);
  return async (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('user-agent')) headers.set('user-agent', userAgent);
    try {
      return await fetchImpl(input, { ...init, headers });
    } catch (error) {
      if (isNetworkFailure(error)) throw new ServerUnreachableError(new URL(urlOf(input)).origin, error);
      throw error;
    }
  };
}
