import type { DeviceAuthRequest } from '../protocol/device-auth-request';

/**
 * The caller's address as people read it: an IPv4 client reached over a dual-stack socket is
 * `::ffff:127.0.0.1` to Node, shown and counted here as `127.0.0.1`. Null when unknown.
 */
export function clientAddress(request: DeviceAuthRequest): string | null {
  const ip = request.ip;
  if (!ip) return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return (mapped ? mapped[1] : ip.toLowerCase()).slice(0, 64);
}
