/** https, or plain http for a server on this machine (development and tests). */
export const isHttpsOrLocal = (url: URL): boolean =>
  url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
