import { DataSource } from 'typeorm';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DeviceAuthorization } from '../../../lib';
import { hmacHex, sha256Hex } from '../../../lib/tokens/hashing';
import { ServerSecret } from '../../../lib/tokens/server-secret.service';
import { DeviceStart, pollAgain } from './device-flow';
import type { TestApp } from './test-app';

export const VERIFICATION_PATH = '/oauth/device';

/** The confirm page (or whatever answers) for a typed code. */
export const openCode = (browser: TestAgent, typedCode: string): request.Test =>
  browser.get(VERIFICATION_PATH).query({ user_code: typedCode });

/** Submits the confirm form as a browser would, with whatever CSRF token the test chooses. */
export const submit = (browser: TestAgent, form: Record<string, string | undefined>) =>
  browser
    .post(VERIFICATION_PATH)
    .type('form')
    .send(Object.fromEntries(Object.entries(form).filter(([, value]) => value !== undefined)));

/** A device authorization as a CLI with this User-Agent starts it. */
export async function startWithUserAgent(
  testApp: TestApp,
  userAgent: string,
  form: Record<string, string> = { client_id: 'sample-cli' },
): Promise<DeviceStart> {
  const response = await request(testApp.http)
    .post('/o/device-authorization/')
    .set('User-Agent', userAgent)
    .type('form')
    .send(form)
    .expect(200);
  return response.body as DeviceStart;
}

/** The CLI's next poll for `start` is still answered authorization_pending: nothing was decided. */
export async function expectStillPending(testApp: TestApp, start: DeviceStart, clientId = 'sample-cli'): Promise<void> {
  const poll = await pollAgain(testApp, start, clientId).expect(400);
  expect(poll.body.error).toBe('authorization_pending');
}

/** The text of the page's error alert (`<p class="error">`), or null when it has none. */
export function errorMessageOf(html: string): string | null {
  return /<p class="error" role="alert">([^<]*)<\/p>/.exec(html)?.[1] ?? null;
}

/** The `<h1>` of a page, tags removed. */
export function headingOf(html: string): string | null {
  const match = /<h1>(.*?)<\/h1>/s.exec(html);
  return match ? match[1].replace(/<[^>]+>/g, '') : null;
}

/** What every verification page response must carry: not framable, not cached, no Referer leak. */
export function expectPageSecurityHeaders(response: request.Response): void {
  expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['referrer-policy']).toBe('no-referrer');
}

/** `/oauth/device?user_code=…` from an absolute `verification_uri_complete`. */
export function pathOf(uri: string): string {
  const url = new URL(uri);
  return url.pathname + url.search;
}

/**
 * Gives a live request a user code of the test's choosing (e.g. one with `SS`, so that `ß` or `ſ`
 * would match it if the page folded look-alikes). Rewrites the stored HMAC exactly as the module
 * computes it: over the canonical code (upper case, no dash) under the server secret.
 */
export async function assignUserCode(testApp: TestApp, deviceCode: string, userCode: string): Promise<void> {
  const secret = await testApp.app.get(ServerSecret, { strict: false }).get();
  const canonical = userCode.replace(/-/g, '');
  const result = await testApp.app
    .get(DataSource)
    .createQueryBuilder()
    .update(DeviceAuthorization)
    .set({ userCodeHash: hmacHex(secret, canonical) })
    .where('device_code_hash = :hash', { hash: sha256Hex(deviceCode) })
    .execute();
  if (result.affected !== 1) throw new Error('no device authorization has that device code');
}
