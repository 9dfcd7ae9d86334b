/** Two spellings of one resource compare equal (`https://api.example.com` and `…com/`). */
function resourceKey(resource: string): string {
  return URL.canParse(resource) ? new URL(resource).href : resource;
}

/** Whether a configured resource is the one `url` names, however its root is spelled. */
export const isResource =
  (url: string) =>
  ({ resource }: { resource: string }): boolean =>
    resourceKey(resource) === resourceKey(url);

/** RFC 9728 §3: where a protected resource's metadata lives, relative to the resource's origin. */
const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/**
 * The metadata's path for `resource`: the well-known segment goes between the host and the
 * resource's own path (RFC 9728 §3.1), so `https://api.example.com/api/v1` is described at
 * `/.well-known/oauth-protected-resource/api/v1`. Null for no resource: the bare well-known path.
 */
export function protectedResourceMetadataPath(resource: string | null): string {
  return resource === null ? WELL_KNOWN : WELL_KNOWN + resourcePath(resource);
}

/** A resource URL's path without its trailing slashes: `''` for a resource at the root. */
export function resourcePath(resource: string): string {
  return new URL(resource).pathname.replace(/\/+$/, '');
}

/** The metadata's URL for `resource`, as the guard's challenges name it (`resource_metadata`). */
export function protectedResourceMetadataUrl(resource: string): string {
  return new URL(resource).origin + protectedResourceMetadataPath(resource);
}
