import { bearerChallenge, type BearerChallenge, type BearerChallengeAttributes } from '../protocol/bearer-challenge';
import { protectedResourceMetadataUrl } from '../protocol/resource-urls';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';

/**
 * The challenge of a route that protects `resource` of the host's API (the guard, the passport
 * strategy): the bearer challenge plus, when resources are described, `resource_metadata` (RFC 9728 §5.1).
 */
export function resourceChallenge(
  options: ResolvedDeviceAuthOptions,
  attributes: BearerChallengeAttributes = {},
  resource: string = options.accessToken.audience,
): BearerChallenge {
  return bearerChallenge(
    options.issuer,
    options.protectedResource ? { ...attributes, resource_metadata: protectedResourceMetadataUrl(resource) } : attributes,
  );
}
