import { InvalidTargetError } from '../errors/oauth.error';
import type { DescribedResource, ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { isResource, resourcePath } from '../protocol/resource-urls';

/**
 * RFC 8707 §2: the configured resource a request's `resource` names, as configured (so a token's
 * `aud` always reads the same); null when the request named none. Anything else is invalid_target.
 */
export function requestedResource(options: Pick<ResolvedDeviceAuthOptions, 'resources'>, value: string | undefined): string | null {
  if (value === undefined) return null;
  if (!URL.canParse(value) || new URL(value).hash) {
    throw new InvalidTargetError('resource must be an absolute URI without a fragment (RFC 8707)');
  }
  const configured = options.resources.find(isResource(value));
  if (!configured) throw new InvalidTargetError(`This server issues no tokens for the resource ${value.slice(0, 200)}`);
  return configured.resource;
}

/** The `aud` of every token of a grant: the resource it was approved for, or `accessToken.audience`. */
export function grantAudience(options: Pick<ResolvedDeviceAuthOptions, 'accessToken'>, granted: string | null): string {
  return granted ?? options.accessToken.audience;
}

/**
 * A token request (`requested`) may repeat the resource its grant was approved for, never name
 * another: a refresh narrows the scopes, it never widens what the user approved (RFC 8707 §2.2).
 * Checked before anything is spent, so a refused request leaves the code or refresh token usable.
 */
export function refuseOtherResource(
  options: Pick<ResolvedDeviceAuthOptions, 'resources' | 'accessToken'>,
  granted: string | null,
  requested: string | undefined,
): void {
  const asked = requestedResource(options, requested);
  const audience = grantAudience(options, granted);
  if (asked !== null && asked !== audience) {
    throw new InvalidTargetError(`This grant was approved for the resource ${audience}, not ${asked}`);
  }
}

/** How an approval page names the resource an app asked for: its name and URL; nothing for the default. */
export function resourceLabel(options: Pick<ResolvedDeviceAuthOptions, 'resources'>, resource: string | null): string | undefined {
  if (resource === null) return undefined;
  const name = options.resources.find(isResource(resource))?.resourceName;
  return name === undefined ? resource : `${name} (${resource})`;
}

/**
 * The configured resource a route protects, named by its URL or, where the URL comes from
 * configuration, by its path alone (`@ForResource('/mcp')`). A name that fits no configured
 * resource, or a path that fits several, is the host's mistake.
 */
export function describedResource(options: Pick<ResolvedDeviceAuthOptions, 'resources'>, name: string): DescribedResource {
  const matches = name.startsWith('/')
    ? options.resources.filter(({ resource }) => URL.canParse(resource) && resourcePath(resource) === name.replace(/\/+$/, ''))
    : options.resources.filter(isResource(name));
  if (matches.length !== 1) {
    const problem = matches.length === 0 ? 'is not a configured resource' : 'names several resources: use the URL';
    throw new Error(`nest-device-auth: ${name} ${problem} (accessToken.audience or options.resources)`);
  }
  return matches[0];
}
