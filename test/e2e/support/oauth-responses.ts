import type request from 'supertest';

/** RFC 6749 §2.3.1 Basic credentials (form-encoding is a no-op for the ids and secrets used here). */
export const basicAuth = (clientId: string, clientSecret: string): string =>
  'Basic ' + Buffer.from(`${clientId}:${clientSecret}`).toString('base64');

/** An RFC 6749 §5.2 error answer: the status, the code, a description, and never cached. */
export function expectOAuthError(response: request.Response, status: number, error: string): void {
  expect(response.status).toBe(status);
  expect(response.body.error).toBe(error);
  expect(typeof response.body.error_description).toBe('string');
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['pragma']).toBe('no-cache');
}
