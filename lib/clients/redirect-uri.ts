/** RFC 8252 §7.3: loopback IP literals, whose port the app picks at run time. */
const LOOPBACK_HOSTS = ['127.0.0.1', '[::1]'];

function parse(uri: string): URL | null {
  try {
    return new URL(uri);
  } catch {
    return null;
  }
}

const isLoopback = (url: URL): boolean => url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname);

/**
 * Why a redirect URI cannot be registered, or null when it can: an absolute https URL, or http on a
 * loopback IP literal (RFC 8252 §7.3), without a fragment (RFC 6749 §3.1.2) or credentials.
 * `localhost` is refused: RFC 8252 §8.3 warns it may resolve elsewhere or be firewalled.
 */
export function redirectUriProblem(uri: string): string | null {
  const url = parse(uri);
  if (url === null) return `redirect URI ${JSON.stringify(uri)} is not an absolute URL`;
  if (url.hash !== '' || uri.includes('#')) return `redirect URI ${uri} must not have a fragment`;
  if (url.username !== '' || url.password !== '') return `redirect URI ${uri} must not carry credentials`;
  if (url.protocol === 'https:' || isLoopback(url)) return null;
  if (url.protocol === 'http:' && url.hostname === 'localhost') {
    return `redirect URI ${uri}: use http://127.0.0.1 or http://[::1] instead of localhost (RFC 8252 §8.3)`;
  }
  return `redirect URI ${uri} must use https, or http on 127.0.0.1 or [::1]`;
}

/**
 * RFC 9700 §2.1 / RFC 8252 §7.3: the presented URI must be one registered, character for
 * character, except that a loopback redirect may name any port.
 */
export function isRegisteredRedirectUri(registered: readonly string[], presented: string): boolean {
  if (registered.includes(presented)) return true;
  const url = parse(presented);
  if (url === null || !isLoopback(url)) return false;
  return registered.some((candidate) => {
    const allowed = parse(candidate);
    if (allowed === null || !isLoopback(allowed)) return false;
    allowed.port = url.port;
    return allowed.href === presented;
  });
}
