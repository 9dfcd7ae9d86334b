/** The value of the first cookie called `name` in a Cookie header, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return null;
    }
  }
  return null;
}

export interface CookieAttributes {
  /** Seconds until the browser drops it; 0 deletes it now. */
  maxAgeSeconds: number;
  /** Only send it over HTTPS. */
  secure: boolean;
}

/** A Set-Cookie value for a session cookie: HttpOnly, SameSite=Lax, Path=/. */
export function sessionCookie(name: string, value: string, attributes: CookieAttributes): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${Math.max(0, Math.floor(attributes.maxAgeSeconds))}`,
  ];
  if (attributes.secure) parts.push('Secure');
  return parts.join('; ');
}
