import type { IncomingHttpHeaders } from 'node:http';

/**
 * What the module reads of an HTTP request: the part Express and Fastify requests share, so the
 * same code (and a host's `resolveUser`) serves either platform.
 */
export interface DeviceAuthRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The client address as the platform reports it (behind a proxy, per its trust settings). */
  ip?: string;
  /** The parsed body; a form on the machine endpoints (the host registers a form parser on Fastify). */
  body?: unknown;
  query?: unknown;
}
