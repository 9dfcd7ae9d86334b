import type request from 'supertest';

/** A 503 `temporarily_unavailable` OAuth answer: retry later, never cached. */
export function expectTemporarilyUnavailable(response: request.Response): void {
  expect({ status: response.status, body: response.body }).toEqual({
    status: 503,
    body: expect.objectContaining({ error: 'temporarily_unavailable', error_description: expect.any(String) }),
  });
  expect(response.type).toBe('application/json');
  expect(response.headers['cache-control']).toBe('no-store');
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
}

/** A 503 page that tells the user to try again shortly, with the pages' security headers. */
export function expectUnavailablePage(response: request.Response): void {
  expect(response.status).toBe(503);
  expect(response.type).toBe('text/html');
  expect(response.text).toContain('Temporarily unavailable');
  expect(response.headers['cache-control']).toBe('no-store');
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
}

/** Runs the request and checks it was answered within `boundMs` of wall time: an outage must never make a request hang. */
export async function answeredWithin(boundMs: number, send: () => PromiseLike<request.Response>): Promise<request.Response> {
  const started = Date.now();
  const response = await send();
  expect(Date.now() - started).toBeLessThan(boundMs);
  return response;
}

/** What a browser's Accept header says when it opens a page or submits a form. */
export const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
