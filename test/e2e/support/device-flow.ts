import { Agent } from 'node:http';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { TestApp } from './test-app';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface DeviceStart {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

export const PASSWORDS = { alice: 'alice-password', bob: 'bob-password' } as const;

/** What the helpers below talk to: an in-process app's server, or the base URL of an app in a process of its own. */
export type AppUnderTest = Pick<TestApp, 'http'>;

/**
 * A browser with the host's session cookie, signed in as `username`. `fromAddress` (a loopback
 * address such as `127.0.0.2`) makes it connect from there, so the app sees another client IP.
 */
export async function signedInBrowser(testApp: AppUnderTest, username: keyof typeof PASSWORDS, fromAddress?: string): Promise<TestAgent> {
  const browser = request.agent(testApp.http);
  if (fromAddress !== undefined) {
    const connectFrom = new Agent({ localAddress: fromAddress });
    browser.use((outgoing: request.Test) => outgoing.agent(connectFrom));
  }
  expect((await submitLoginForm(browser, { username, password: PASSWORDS[username], next: '/' })).status).toBe(303);
  return browser;
}

/** What the sample's sign-in page gives a browser: its pre-session cookie (`login_csrf=…`) and the form's CSRF token. */
export interface LoginFormTicket {
  cookie: string;
  csrfToken: string;
}

/** Opens the sign-in page as a fresh browser, for a raw request that posts the form later. */
export async function openLoginForm(testApp: AppUnderTest): Promise<LoginFormTicket> {
  const page = await request(testApp.http).get('/login').expect(200);
  const cookie = ([] as string[]).concat(page.headers['set-cookie'] ?? []).find((value) => value.startsWith('login_csrf='));
  if (cookie === undefined) throw new Error('the sign-in page set no login_csrf cookie');
  return { cookie: cookie.split(';')[0], csrfToken: csrfTokenOf(page.text) };
}

/**
 * Submits the sign-in form as a browser does: opens the page (the agent keeps its CSRF cookie),
 * then posts `fields` with the form's CSRF token. A raw request is `request.agent(testApp.http)`.
 */
export async function submitLoginForm(browser: TestAgent, fields: Record<string, string>): Promise<request.Response> {
  const page = await browser.get('/login').expect(200);
  return browser
    .post('/login')
    .type('form')
    .send({ csrf_token: csrfTokenOf(page.text), ...fields });
}

export async function startDeviceAuthorization(testApp: AppUnderTest, clientId = 'sample-cli', scope?: string): Promise<DeviceStart> {
  const form: Record<string, string> = { client_id: clientId };
  if (scope !== undefined) form.scope = scope;
  const response = await request(testApp.http).post('/o/device-authorization/').type('form').send(form).expect(200);
  return response.body as DeviceStart;
}

export function pollToken(testApp: AppUnderTest, deviceCode: string, clientId = 'sample-cli'): request.Test {
  return request(testApp.http)
    .post('/o/token/')
    .type('form')
    .send({ grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: clientId });
}

/**
 * The CLI polls once more, a full interval after its last poll (so never `slow_down`), and gets the
 * token endpoint's answer: `body.error` is `authorization_pending`, `access_denied`, … or absent.
 */
export function pollAgain(testApp: TestApp, start: DeviceStart, clientId = 'sample-cli'): request.Test {
  testApp.clock.advance(start.interval);
  return pollToken(testApp, start.device_code, clientId);
}

/** The CSRF token of the confirm page, as a browser would submit it. */
export function csrfTokenOf(html: string): string {
  const match = /name="csrf_token" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('the page has no CSRF token');
  return match[1];
}

/** Opens the confirm page for the code and clicks Approve or Deny, as the user would. */
export async function decideInBrowser(
  browser: TestAgent,
  userCode: string,
  action: 'approve' | 'deny',
  expectedStatus = 200,
): Promise<request.Response> {
  const confirm = await browser.get('/oauth/device').query({ user_code: userCode }).expect(200);
  return browser
    .post('/oauth/device')
    .type('form')
    .send({ user_code: userCode, csrf_token: csrfTokenOf(confirm.text), action })
    .expect(expectedStatus);
}

/** The whole device flow up to tokens: start, approve as `username`, poll once. */
export async function deviceLogin(
  testApp: AppUnderTest,
  username: keyof typeof PASSWORDS = 'alice',
  clientId = 'sample-cli',
  scope?: string,
) {
  const start = await startDeviceAuthorization(testApp, clientId, scope);
  const browser = await signedInBrowser(testApp, username);
  await decideInBrowser(browser, start.user_code, 'approve');
  const response = await pollToken(testApp, start.device_code, clientId).expect(200);
  return response.body as { access_token: string; refresh_token: string; token_type: string; expires_in: number; scope: string };
}

export function refresh(testApp: AppUnderTest, refreshToken: string, clientId = 'sample-cli', scope?: string): request.Test {
  const form: Record<string, string> = { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId };
  if (scope !== undefined) form.scope = scope;
  return request(testApp.http).post('/o/token/').type('form').send(form);
}

/** A call to the sample app's API (its `/api/v1/me` unless `path` says otherwise) with `Authorization: Bearer <token>`. */
export function callMe(testApp: AppUnderTest, accessToken: string, path = '/api/v1/me'): request.Test {
  return request(testApp.http).get(path).set('Authorization', `Bearer ${accessToken}`);
}
