import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { csrfTokenOf, PASSWORDS, signedInBrowser } from './device-flow';
import type { TestApp } from './test-app';
import { present } from './present';

export const AUTHORIZE_PATH = '/o/authorize/';
/** The loopback redirect the sample apps registered (RFC 8252 §7.3: any port matches). */
export const LOOPBACK_CALLBACK = 'http://127.0.0.1/callback';

export interface Pkce {
  verifier: string;
  challenge: string;
}

/** RFC 7636: a fresh verifier and its S256 challenge, made independently of the server's code. */
export function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A valid authorization request for `clientId`, with `overrides` (undefined removes a parameter). */
export function authorizeQuery(challenge: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const query: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: 'sample-cli',
    redirect_uri: 'http://127.0.0.1:53682/callback',
    scope: 'user:read',
    state: 'state-' + randomBytes(8).toString('hex'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** Every `<input type="hidden">` of a page's form, as a browser would submit it. */
export function hiddenFieldsOf(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const unescape = (value: string) =>
    value
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[name] = unescape(value);
  return fields;
}

/** The parameters of a redirect's Location (code or error, state, iss). */
export function redirectParameters(response: request.Response): URLSearchParams {
  expect(response.status).toBe(303);
  return new URL(response.headers.location).searchParams;
}

/** Opens the consent page and clicks Approve or Deny; answers the 303 back to the app. */
export async function consent(browser: TestAgent, query: Record<string, string>, action: 'approve' | 'deny'): Promise<request.Response> {
  const page = await browser.get(AUTHORIZE_PATH).query(query).expect(200);
  expect(csrfTokenOf(page.text)).toBeTruthy();
  return browser
    .post(AUTHORIZE_PATH)
    .type('form')
    .send({ ...hiddenFieldsOf(page.text), action })
    .expect(303);
}

export function redeemCode(testApp: TestApp, form: Record<string, string>): request.Test {
  return request(testApp.http)
    .post('/o/token/')
    .type('form')
    .send({ grant_type: 'authorization_code', ...form });
}

/** The whole code flow for a public app: consent as `username`, then the code and verifier for tokens. */
export async function codeFlowLogin(
  testApp: TestApp,
  username: keyof typeof PASSWORDS = 'alice',
  overrides: Record<string, string | undefined> = {},
) {
  const { verifier, challenge } = pkce();
  const query = authorizeQuery(challenge, overrides);
  const code = present(redirectParameters(await consent(await signedInBrowser(testApp, username), query, 'approve')).get('code'), 'a code');
  const response = await redeemCode(testApp, {
    code,
    redirect_uri: query.redirect_uri,
    code_verifier: verifier,
    client_id: query.client_id,
  }).expect(200);
  return response.body as {
    access_token: string;
    refresh_token?: string;
    id_token?: string;
    token_type: string;
    expires_in: number;
    scope: string;
  };
}

/**
 * What the user does with the URL a CLI opens (`loopbackLogin`): signed in as `username`, they
 * consent on the page, and their browser follows the 303 to the redirect URI, that is to the CLI's
 * loopback listener. Resolves with the listener's page.
 */
export async function consentAndReturnToCli(
  testApp: TestApp,
  authorizeUrl: string,
  action: 'approve' | 'deny',
  username: keyof typeof PASSWORDS = 'alice',
): Promise<Response> {
  const query = Object.fromEntries(new URL(authorizeUrl).searchParams);
  const location = (await consent(await signedInBrowser(testApp, username), query, action)).headers.location as string;
  expect(location.startsWith(`${query.redirect_uri}?`)).toBe(true);
  return fetch(location);
}
