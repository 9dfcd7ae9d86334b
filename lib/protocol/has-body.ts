import type { DeviceAuthRequest } from './device-auth-request';

/**
 * Whether the request carries a body, by its headers: Fastify never parses a GET body, so what
 * was parsed cannot decide on both platforms.
 */
export const hasBody = (request: DeviceAuthRequest): boolean =>
  request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
