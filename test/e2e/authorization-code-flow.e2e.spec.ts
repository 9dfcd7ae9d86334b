import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ClientsService, DeviceAuthEventMap, DeviceAuthEvents } from '../../lib';
import { sha256Hex } from '../../lib/tokens/hashing';
import {
  AUTHORIZE_PATH,
  authorizeQuery,
  codeFlowLogin,
  consent,
  hiddenFieldsOf,
  pkce,
  redeemCode,
  redirectParameters,
} from './support/code-flow';
import { callMe, csrfTokenOf, refresh, signedInBrowser } from './support/device-flow';
import { basicAuth, expectOAuthError } from './support/oauth-responses';
import { ISSUER, useTestApp } from './support/test-app';
import { expectPageSecurityHeaders, headingOf } from './support/verification-page';
import { present } from './support/present';

/** RFC 6749 §4.1 with PKCE (RFC 7636), loopback redirects (RFC 8252) and `iss` (RFC 9207). */
describe('authorization code flow with PKCE', () => {
  const testApp = useTestApp();
  const reuse: DeviceAuthEventMap['authorization_code.reuse_detected'][] = [];
  let webSecret: string;

  beforeAll(async () => {
    const clients = testApp.app.get(ClientsService);
    webSecret = present(
      (
        await clients.register({
          clientId: 'web-app',
          name: 'Web App',
          type: 'confidential',
          mode: 'partner',
          grantTypes: ['authorization_code', 'refresh_token'],
          scopes: ['user:read', 'listings:read'],
          redirectUris: ['https://web.example.com/callback'],
        })
      ).clientSecret,
      'the secret of web-app',
    );
    await clients.register({
      clientId: 'device-only',
      name: 'Device only',
      type: 'public',
      mode: 'partner',
      grantTypes: ['urn:ietf:params:oauth:grant-type:device_code'],
      scopes: ['user:read'],
      redirectUris: ['https://device-only.example.com/cb'],
    });
    testApp.app.get(DeviceAuthEvents).on('authorization_code.reuse_detected', (event) => void reuse.push(event));
  });

  describe('a CLI on a loopback port', () => {
    let listener: Server;
    const callbacks: URL[] = [];
    beforeAll(async () => {
      listener = createServer((incoming, outgoing) => {
        callbacks.push(new URL(present(incoming.url, 'the callback URL'), 'http://127.0.0.1'));
        outgoing.end('You can close this tab.');
      });
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise((resolve) => listener.close(resolve)));

    it('signs in through the consent page, returns to the random port with code, state and iss, and the code buys working tokens', async () => {
      const port = (listener.address() as AddressInfo).port;
      const { verifier, challenge } = pkce();
      const query = authorizeQuery(challenge, { redirect_uri: `http://127.0.0.1:${port}/callback`, scope: 'user:read listings:read' });
      const back = await consent(await signedInBrowser(testApp, 'alice'), query, 'approve');
      expectPageSecurityHeaders(back);
      await fetch(back.headers.location);
      const callback = present(callbacks.at(-1), 'a callback');
      expect(callback.pathname).toBe('/callback');
      expect(callback.searchParams.get('state')).toBe(query.state);
      expect(callback.searchParams.get('iss')).toBe(ISSUER);
      const code = present(callback.searchParams.get('code'), 'a code');
      expect(code).toMatch(/^bac_[0-9A-Za-z]{36}$/);

      const tokens = await redeemCode(testApp, {
        code,
        redirect_uri: query.redirect_uri,
        code_verifier: verifier,
        client_id: 'sample-cli',
      }).expect(200);
      expect(tokens.headers['cache-control']).toBe('no-store');
      expect(tokens.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: expect.stringMatching(/^brt_/),
        scope: 'user:read listings:read',
      });
      expect((await callMe(testApp, tokens.body.access_token).expect(200)).body).toMatchObject({
        username: 'alice',
        clientId: 'sample-cli',
      });
      const rotated = await refresh(testApp, tokens.body.refresh_token).expect(200);
      expect(rotated.body.refresh_token).not.toBe(tokens.body.refresh_token);
    });
  });

  describe('the consent page', () => {
    it('shows the app, every scope with its description, and where the answer goes; Approve/Deny carry a CSRF token', async () => {
      const page = await (
        await signedInBrowser(testApp, 'alice')
      )
        .get(AUTHORIZE_PATH)
        .query(authorizeQuery(pkce().challenge, { scope: 'user:read listings:write' }))
        .expect(200);
      expectPageSecurityHeaders(page);
      expect(headingOf(page.text)).toBe('Allow Sample CLI to access your account?');
      expect(page.text).toContain('<code>user:read</code>: Read your profile');
      expect(page.text).toContain('<code>listings:write</code>: Create and change your listings');
      expect(page.text).toContain('http://127.0.0.1:53682');
      expect(page.text).toMatch(/name="action" value="approve"/);
      expect(csrfTokenOf(page.text)).toMatch(/^[0-9a-f]{64}$/);
    });

    it('sends a signed-out visitor to the host login, and back to the same request afterwards', async () => {
      const query = authorizeQuery(pkce().challenge);
      const signedOut = await request(testApp.http).get(AUTHORIZE_PATH).query(query).expect(303);
      const login = new URL(signedOut.headers.location, ISSUER);
      expect(login.pathname).toBe('/login');
      const returnTo = present(login.searchParams.get('next'), 'a returnTo');
      expect(returnTo.startsWith(AUTHORIZE_PATH + '?')).toBe(true);
      const page = await (await signedInBrowser(testApp, 'alice')).get(returnTo).expect(200);
      expect(hiddenFieldsOf(page.text)).toMatchObject(query);
    });

    it('asks again on every sign-in by default', async () => {
      await codeFlowLogin(testApp);
      await (await signedInBrowser(testApp, 'alice')).get(AUTHORIZE_PATH).query(authorizeQuery(pkce().challenge)).expect(200);
    });

    it('sends a denial back to the app as access_denied, with state and iss', async () => {
      const query = authorizeQuery(pkce().challenge);
      const back = redirectParameters(await consent(await signedInBrowser(testApp, 'alice'), query, 'deny'));
      expect(Object.fromEntries(back)).toEqual({
        error: 'access_denied',
        error_description: expect.any(String),
        state: query.state,
        iss: ISSUER,
      });
    });

    it('refuses a missing or wrong CSRF token, and a form whose request was altered, without answering the app', async () => {
      const browser = await signedInBrowser(testApp, 'alice');
      const page = await browser.get(AUTHORIZE_PATH).query(authorizeQuery(pkce().challenge)).expect(200);
      const form = { ...hiddenFieldsOf(page.text), action: 'approve' };
      for (const tampered of [
        { ...form, csrf_token: undefined },
        { ...form, csrf_token: '0'.repeat(64) },
        { ...form, scope: 'user:read listings:write' },
      ]) {
        const refused = await browser.post(AUTHORIZE_PATH).type('form').send(tampered).expect(403);
        expect(refused.headers.location).toBeUndefined();
      }
    });

    it('keeps a personal app to its owner: bob sees "Wrong account" and no code is issued', async () => {
      const bob = await signedInBrowser(testApp, 'bob');
      const query = authorizeQuery(pkce().challenge);
      const bobsView = await bob.get(AUTHORIZE_PATH).query(query).expect(403);
      expect(headingOf(bobsView.text)).toBe('Wrong account');
      expect(bobsView.text).toContain('You are signed in as <strong>Bob</strong>');
      expect(bobsView.text).toContain('<button type="submit">Sign out and use another account</button>');
      expect(bobsView.text).toContain('<a href="/">Go to the home page</a>');
      const alicesForm = hiddenFieldsOf(
        (await (await signedInBrowser(testApp, 'alice')).get(AUTHORIZE_PATH).query(query).expect(200)).text,
      );
      const refused = await bob
        .post(AUTHORIZE_PATH)
        .type('form')
        .send({ ...alicesForm, action: 'approve' })
        .expect(403);
      expect(headingOf(refused.text)).toBe('Wrong account');
    });

    it('offers bob a sign-out that brings the next sign-in back to the same consent page', async () => {
      const browser = await signedInBrowser(testApp, 'bob');
      const query = authorizeQuery(pkce().challenge);
      const bobsView = await browser.get(AUTHORIZE_PATH).query(query).expect(403);
      const signOut = present(/<form method="post" action="([^"]+)">/.exec(bobsView.text)?.[1], 'a sign-out form').replace(/&amp;/g, '&');

      const signedOut = await browser.post(signOut).type('form').send({}).expect(303);
      const back = new URL(signedOut.headers.location, ISSUER);
      expect(back.pathname).toBe(AUTHORIZE_PATH);
      expect(Object.fromEntries(back.searchParams)).toEqual(query);
      // Signed out now: the same request leads to the login page, and from there back to it.
      const toLogin = await browser.get(signedOut.headers.location).expect(303);
      expect(new URL(toLogin.headers.location, ISSUER).searchParams.get('next')).toBe(signedOut.headers.location);
    });
  });

  describe('request errors', () => {
    it.each([
      ['no client_id', { client_id: undefined }],
      ['an unknown client', { client_id: 'nobody' }],
      ['no redirect_uri', { redirect_uri: undefined }],
      ['an unregistered redirect_uri', { redirect_uri: 'https://evil.example/callback' }],
      ['another loopback path', { redirect_uri: 'http://127.0.0.1:53682/elsewhere' }],
      ['localhost for the loopback', { redirect_uri: 'http://localhost:53682/callback' }],
      ['a registered URI with an extra query', { redirect_uri: 'http://127.0.0.1:53682/callback?next=https://evil.example' }],
    ])('shows %s as a page, never redirecting', async (_label, overrides) => {
      const response = await (
        await signedInBrowser(testApp, 'alice')
      )
        .get(AUTHORIZE_PATH)
        .query(authorizeQuery(pkce().challenge, overrides))
        .expect(400);
      expect(response.headers.location).toBeUndefined();
      expect(headingOf(response.text)).toBe('Sign-in cannot continue');
      expect(response.text).toContain('Return to the app and start the sign-in again. If this keeps happening, tell the app’s developer.');
      expect(response.text).toContain('<a href="/">Go to the home page</a>');
      expectPageSecurityHeaders(response);
    });

    it('shows a repeated client_id as a page', async () => {
      const response = await request(testApp.http)
        .get(`${AUTHORIZE_PATH}?client_id=sample-cli&client_id=team-cli&redirect_uri=http://127.0.0.1:1/callback`)
        .expect(400);
      expect(response.headers.location).toBeUndefined();
    });

    it.each([
      ['no code_challenge', 'invalid_request', { code_challenge: undefined }],
      ['code_challenge_method=plain', 'invalid_request', { code_challenge_method: 'plain' }],
      ['no code_challenge_method (plain by default)', 'invalid_request', { code_challenge_method: undefined }],
      ['a malformed challenge', 'invalid_request', { code_challenge: 'short' }],
      ['no response_type', 'invalid_request', { response_type: undefined }],
      ['response_type=token', 'unsupported_response_type', { response_type: 'token' }],
      ['a scope outside the app', 'invalid_scope', { client_id: 'team-cli', scope: 'tokens:manage' }],
      ['an app without the grant', 'unauthorized_client', { client_id: 'device-only', redirect_uri: 'https://device-only.example.com/cb' }],
      ['a state with a line break', 'invalid_request', { state: 'a\nb' }],
    ])('sends %s back to the app as %s, with state and iss', async (_label, error, overrides) => {
      const query = authorizeQuery(pkce().challenge, overrides);
      const back = redirectParameters(await (await signedInBrowser(testApp, 'alice')).get(AUTHORIZE_PATH).query(query));
      expect(back.get('error')).toBe(error);
      expect(back.get('error_description')).toBeTruthy();
      expect(back.get('iss')).toBe(ISSUER);
      expect(back.get('state')).toBe(query.state === 'a\nb' ? null : query.state);
      expect(back.get('code')).toBeNull();
    });
  });

  describe('redeeming the code', () => {
    async function approvedCode(overrides: Record<string, string | undefined> = {}, browserUser: 'alice' | 'bob' = 'alice') {
      const { verifier, challenge } = pkce();
      const query = authorizeQuery(challenge, overrides);
      const code = present(
        redirectParameters(await consent(await signedInBrowser(testApp, browserUser), query, 'approve')).get('code'),
        'a code',
      );
      return {
        code,
        verifier,
        query,
        form: { code, redirect_uri: query.redirect_uri, code_verifier: verifier, client_id: query.client_id },
      };
    }

    it.each([
      ['a wrong verifier', (form: Record<string, string>) => ({ ...form, code_verifier: pkce().verifier }), 400, 'invalid_grant'],
      [
        'another port than the request’s',
        (form: Record<string, string>) => ({ ...form, redirect_uri: 'http://127.0.0.1:1/callback' }),
        400,
        'invalid_grant',
      ],
      ['another client', (form: Record<string, string>) => ({ ...form, client_id: 'team-cli' }), 400, 'invalid_grant'],
      [
        'a verifier of the wrong shape',
        (form: Record<string, string>) => ({ ...form, code_verifier: 'too-short' }),
        400,
        'invalid_request',
      ],
      ['no verifier', ({ code_verifier: _omitted, ...form }: Record<string, string>) => form, 400, 'invalid_request'],
      ['no redirect_uri', ({ redirect_uri: _omitted, ...form }: Record<string, string>) => form, 400, 'invalid_request'],
      ['a made-up code', (form: Record<string, string>) => ({ ...form, code: 'bac_' + 'A'.repeat(36) }), 400, 'invalid_grant'],
    ])('refuses %s, and the code still works afterwards', async (_label, change, status, error) => {
      const { form } = await approvedCode();
      expectOAuthError(await redeemCode(testApp, change(form)), status, error);
      await redeemCode(testApp, form).expect(200);
    });

    it('refuses a code past its minute (invalid_grant)', async () => {
      const { form } = await approvedCode();
      testApp.clock.advance(60);
      expectOAuthError(await redeemCode(testApp, form), 400, 'invalid_grant');
    });

    it('answers a replayed code with invalid_grant and revokes every token it minted (RFC 6749 §4.1.2)', async () => {
      const { form } = await approvedCode();
      const first = (await redeemCode(testApp, form).expect(200)).body;
      await callMe(testApp, first.access_token).expect(200);
      expectOAuthError(await redeemCode(testApp, form), 400, 'invalid_grant');
      await callMe(testApp, first.access_token).expect(401);
      expectOAuthError(await refresh(testApp, first.refresh_token), 400, 'invalid_grant');
      await new Promise(setImmediate);
      expect(reuse).toContainEqual({ grantId: expect.any(String), clientId: 'sample-cli', userId: await testApp.userId('alice') });
    });

    it('lets exactly one of ten concurrent redemptions succeed, and revokes what it minted', async () => {
      const { form } = await approvedCode();
      const responses = await Promise.all(Array.from({ length: 10 }, () => redeemCode(testApp, form)));
      const winners = responses.filter((response) => response.status === 200);
      expect(winners).toHaveLength(1);
      for (const loser of responses.filter((response) => response.status !== 200)) expect(loser.body.error).toBe('invalid_grant');
      await callMe(testApp, winners[0].body.access_token).expect(401);
    });

    it('authenticates a confidential app with Basic, and refuses it without its secret', async () => {
      const { form } = await approvedCode({ client_id: 'web-app', redirect_uri: 'https://web.example.com/callback' }, 'bob');
      const { client_id: _clientId, ...withoutClientId } = form;
      expectOAuthError(await redeemCode(testApp, form), 401, 'invalid_client');
      const tokens = await redeemCode(testApp, withoutClientId).set('Authorization', basicAuth('web-app', webSecret)).expect(200);
      expect((await callMe(testApp, tokens.body.access_token).expect(200)).body.username).toBe('bob');
    });

    it('stores the code as a digest only', async () => {
      const { code, form } = await approvedCode();
      await redeemCode(testApp, form).expect(200);
      const rows = JSON.stringify(await testApp.app.get(DataSource).query('SELECT * FROM device_auth_authorization_codes'));
      expect(rows).not.toContain(code);
      expect(rows).toContain(sha256Hex(code));
    });
  });
});

describe('authorization code flow with skipConsentWhenApproved', () => {
  const testApp = useTestApp({ deviceAuth: { authorizationCode: { skipConsentWhenApproved: true } } });

  it('returns at once for scopes the user already approved, and asks again for wider ones', async () => {
    await codeFlowLogin(testApp, 'alice', { scope: 'user:read listings:read' });
    const browser = await signedInBrowser(testApp, 'alice');
    const narrower = await browser
      .get(AUTHORIZE_PATH)
      .query(authorizeQuery(pkce().challenge, { scope: 'user:read' }))
      .expect(303);
    expect(new URL(narrower.headers.location).searchParams.get('code')).toMatch(/^bac_/);
    await browser
      .get(AUTHORIZE_PATH)
      .query(authorizeQuery(pkce().challenge, { scope: 'listings:write' }))
      .expect(200);
  });
});
