import { createHash } from 'node:crypto';
import request from 'supertest';
import { AUTHORIZE_PATH, authorizeQuery, hiddenFieldsOf, pkce } from './support/code-flow';
import {
  csrfTokenOf,
  decideInBrowser,
  openLoginForm,
  PASSWORDS,
  signedInBrowser,
  startDeviceAuthorization,
  submitLoginForm,
} from './support/device-flow';
import { present } from './support/present';
import { ISSUER, useTestApp } from './support/test-app';
import { expectPageSecurityHeaders, VERIFICATION_PATH } from './support/verification-page';

const TOKENS_PAGE = '/settings/tokens';

/** The directives of a Content-Security-Policy header, by name. */
function directivesOf(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name !== '')
      .map(([name, ...sources]) => [name.toLowerCase(), sources]),
  );
}

/**
 * What every page the module serves must carry: not framable, not cached, no Referer; a policy that
 * lets no script run but inline scripts whose hash it lists; and no cookie (CSRF tokens are
 * stateless HMACs in the forms, so the module never needs one).
 */
function expectHardenedPage(response: request.Response): void {
  expectPageSecurityHeaders(response);
  const policy = present(response.headers['content-security-policy'], 'a Content-Security-Policy');
  const directives = directivesOf(policy);
  expect(directives.get('default-src')).toEqual(["'none'"]);
  expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  expect(policy).not.toMatch(/'unsafe-inline'|'unsafe-eval'|'unsafe-hashes'|\*/);
  const scriptSources = directives.get('script-src') ?? [];
  for (const source of scriptSources) expect(source).toMatch(/^'sha(256|384|512)-[A-Za-z0-9+/]+=*'$/);
  for (const [, script] of response.text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/gi)) {
    expect(scriptSources).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
  }
  expect(response.text).not.toMatch(/\son[a-z]+\s*=|javascript:/i);
  expect(response.headers['set-cookie']).toBeUndefined();
}

describe('security headers: every page the module serves', () => {
  const testApp = useTestApp();
  const alice = () => signedInBrowser(testApp, 'alice');

  /** The consent page's form as alice would submit it, with the CSRF token of the test's choice. */
  async function consentForm(csrfToken?: string): Promise<Record<string, string>> {
    const page = await (await alice()).get(AUTHORIZE_PATH).query(authorizeQuery(pkce().challenge)).expect(200);
    const fields = hiddenFieldsOf(page.text);
    return { ...fields, csrf_token: csrfToken ?? fields.csrf_token, action: 'approve' };
  }

  /** The API tokens page's form as alice would submit it. */
  async function tokensForm(browser: Awaited<ReturnType<typeof alice>>, fields: Record<string, string>): Promise<request.Response> {
    const page = await browser.get(TOKENS_PAGE).expect(200);
    return browser
      .post(TOKENS_PAGE)
      .type('form')
      .send({ csrf_token: csrfTokenOf(page.text), ...fields });
  }

  const pages: [string, number, () => Promise<request.Response>][] = [
    ['verification: the sign-in redirect', 303, () => request(testApp.http).get(VERIFICATION_PATH)],
    ['verification: enter the code', 200, async () => (await alice()).get(VERIFICATION_PATH)],
    [
      'verification: confirm',
      200,
      async () => (await alice()).get(VERIFICATION_PATH).query({ user_code: (await startDeviceAuthorization(testApp)).user_code }),
    ],
    ['verification: unknown code', 400, async () => (await alice()).get(VERIFICATION_PATH).query({ user_code: 'BCDF-GHJK' })],
    ['verification: malformed query', 400, async () => (await alice()).get(`${VERIFICATION_PATH}?user_code[]=BCDF-GHJK`)],
    [
      'verification: stale CSRF token',
      403,
      async () =>
        (await alice())
          .post(VERIFICATION_PATH)
          .type('form')
          .send({ user_code: (await startDeviceAuthorization(testApp)).user_code, csrf_token: 'stale', action: 'approve' }),
    ],
    [
      'verification: another account (personal app)',
      403,
      async () =>
        (await signedInBrowser(testApp, 'bob'))
          .get(VERIFICATION_PATH)
          .query({ user_code: (await startDeviceAuthorization(testApp)).user_code }),
    ],
    [
      'verification: approved',
      200,
      async () => decideInBrowser(await alice(), (await startDeviceAuthorization(testApp)).user_code, 'approve'),
    ],
    ['verification: denied', 200, async () => decideInBrowser(await alice(), (await startDeviceAuthorization(testApp)).user_code, 'deny')],
    ['authorize: the sign-in redirect', 303, () => request(testApp.http).get(AUTHORIZE_PATH).query(authorizeQuery(pkce().challenge))],
    ['authorize: consent', 200, async () => (await alice()).get(AUTHORIZE_PATH).query(authorizeQuery(pkce().challenge))],
    [
      'authorize: unregistered redirect (error page)',
      400,
      async () => (await alice()).get(AUTHORIZE_PATH).query(authorizeQuery(pkce().challenge, { redirect_uri: 'https://evil.example/cb' })),
    ],
    [
      'authorize: stale CSRF token',
      403,
      async () =>
        (await alice())
          .post(AUTHORIZE_PATH)
          .type('form')
          .send(await consentForm('stale')),
    ],
    [
      'authorize: back to the app',
      303,
      async () =>
        (await alice())
          .post(AUTHORIZE_PATH)
          .type('form')
          .send(await consentForm()),
    ],
    ['API tokens: the sign-in redirect', 303, () => request(testApp.http).get(TOKENS_PAGE)],
    ['API tokens: the list', 200, async () => (await alice()).get(TOKENS_PAGE)],
    [
      'API tokens: created, the redirect',
      303,
      async () => tokensForm(await alice(), { action: 'create', name: 'headers', scopes: 'user:read', expires_in_days: '30' }),
    ],
    [
      'API tokens: created, the page showing the token with its copy script',
      200,
      async () => {
        const browser = await alice();
        const created = await tokensForm(browser, { action: 'create', name: 'headers', scopes: 'user:read', expires_in_days: '30' });
        const page = await browser.get(created.headers.location);
        expect(page.text).toMatch(/<script>/);
        return page;
      },
    ],
    [
      'API tokens: the revoke question',
      200,
      async () => {
        const browser = await alice();
        const created = await tokensForm(browser, { action: 'create', name: 'question', scopes: 'user:read' });
        return browser.get(TOKENS_PAGE).query({ revoke: new URL(created.headers.location, ISSUER).searchParams.get('created') as string });
      },
    ],
    [
      'API tokens: revoked, the redirect',
      303,
      async () => {
        const browser = await alice();
        const created = await tokensForm(browser, { action: 'create', name: 'revoked', scopes: 'user:read' });
        const id = new URL(created.headers.location, ISSUER).searchParams.get('created') as string;
        return tokensForm(browser, { action: 'revoke', token_id: id });
      },
    ],
    ['API tokens: no such token', 404, async () => tokensForm(await alice(), { action: 'revoke', token_id: 'none' })],
    [
      'API tokens: stale CSRF token',
      403,
      async () => (await alice()).post(TOKENS_PAGE).type('form').send({ csrf_token: 'stale', action: 'create', name: 'x' }),
    ],
  ];

  it.each(pages)('%s (%i) is hardened', async (_, status, page) => {
    const response = await page();
    expect(response.status).toBe(status);
    expectHardenedPage(response);
  });

  it('lets forms post to this server only, the consent form also to the app its answer redirects to', async () => {
    const formActionOf = (response: request.Response) =>
      directivesOf(String(response.headers['content-security-policy'])).get('form-action');
    const query = authorizeQuery(pkce().challenge);
    const consent = await (await alice()).get(AUTHORIZE_PATH).query(query).expect(200);
    // Browsers hold the redirect after a form's POST to form-action too: without the app's origin, Approve goes nowhere.
    expect(formActionOf(consent)).toEqual(["'self'", new URL(query.redirect_uri).origin]);
    expect(formActionOf(await (await alice()).get(TOKENS_PAGE).expect(200))).toEqual(["'self'"]);
    const confirm = await (await alice()).get('/oauth/device').query({ user_code: (await startDeviceAuthorization(testApp)).user_code });
    expect(formActionOf(confirm)).toEqual(["'self'"]);
  });
});

describe('security headers: the 429 page of the wrong-code limit', () => {
  const testApp = useTestApp();

  it('is hardened too', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    let response: request.Response | undefined;
    for (let guess = 0; guess < 20 && response?.status !== 429; guess++) {
      response = await alice.get(VERIFICATION_PATH).query({ user_code: 'BCDF-GHJK' });
    }
    const limited = present(response, 'an answer');
    expect(limited.status).toBe(429);
    expectHardenedPage(limited);
  });
});

/** The attributes of the session cookie a sign-in sets, lower-cased. */
async function sessionCookieAttributes(http: Parameters<typeof request>[0]): Promise<string[]> {
  // The form's cookie sent by hand: behind a TLS-terminating proxy it is Secure, which an agent would keep off plain http.
  const form = await openLoginForm({ http });
  const response = await request(http)
    .post('/login')
    .set('Cookie', form.cookie)
    .type('form')
    .send({ csrf_token: form.csrfToken, username: 'alice', password: PASSWORDS.alice, next: '/' })
    .expect(303);
  const session = ([] as string[]).concat(response.headers['set-cookie'] ?? []).find((cookie) => cookie.startsWith('sid='));
  return present(session, 'a session cookie')
    .split(';')
    .map((part) => part.trim().toLowerCase());
}

describe('session cookie', () => {
  describe('with an http issuer (local development)', () => {
    const testApp = useTestApp();

    it('is HttpOnly and SameSite=Lax, not Secure (it could not travel over http)', async () => {
      const attributes = await sessionCookieAttributes(testApp.http);
      expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax']));
      expect(attributes).not.toContain('secure');
    });
  });

  describe('with an https issuer', () => {
    const testApp = useTestApp({ issuer: 'https://auth.example.com' });

    it('is HttpOnly, SameSite=Lax and Secure, even when the request reached the app as http (TLS ends at a proxy)', async () => {
      expect(await sessionCookieAttributes(testApp.http)).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'secure']));
    });

    it('is cleared with the same attributes on sign-out', async () => {
      const response = await request(testApp.http).post('/logout').expect(303);
      const cleared = ([] as string[]).concat(response.headers['set-cookie'] ?? []).find((cookie) => cookie.startsWith('sid='));
      expect(present(cleared, 'a clearing cookie').toLowerCase()).toMatch(/max-age=0.*secure/);
    });
  });
});

describe('login: the next parameter never leads off-site', () => {
  const testApp = useTestApp();

  const offSite = [
    'https://evil.example/',
    'http://evil.example',
    'HTTPS://evil.example',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '\\/evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    ' //evil.example',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '%2F%2Fevil.example',
    '/%2F/evil.example',
    '/%5Cevil.example',
    '%2f%5cevil.example',
    '%252F%252Fevil.example',
    'javascript%3Aalert(1)',
    'https:evil.example',
    '/\u3000/evil.example',
    '/é/../../evil.example',
    '/.//evil.example',
    '/a/..//evil.example',
    '/%2e%2e//evil.example',
    'evil.example',
  ];

  /** Where a browser at the issuer would end up after following `location`. */
  const landing = (location: string): URL => new URL(location, ISSUER);

  it.each(offSite)('sign-in with next=%j lands on this site', async (next) => {
    const response = await submitLoginForm(request.agent(testApp.http), { username: 'alice', password: PASSWORDS.alice, next });
    expect(response.status).toBe(303);
    const target = landing(present(response.headers.location, 'a Location'));
    expect(target.origin).toBe(ISSUER);
  });

  it.each(offSite)("sign-out (the pages' logoutUrl) with next=%j lands on this site", async (next) => {
    const response = await request(testApp.http).post('/logout').query({ next }).expect(303);
    expect(landing(present(response.headers.location, 'a Location')).origin).toBe(ISSUER);
  });

  it.each(offSite)('the login page for next=%j carries a local path only', async (next) => {
    const page = await request(testApp.http).get('/login').query({ next }).expect(200);
    const carried = hiddenFieldsOf(page.text).next;
    expect(carried.startsWith('/') && !carried.startsWith('//') && !carried.startsWith('/\\')).toBe(true);
    expect(landing(carried).origin).toBe(ISSUER);
  });

  it('answers a local path with non-ASCII characters percent-encoded, a valid Location on every platform', async () => {
    const response = await submitLoginForm(request.agent(testApp.http), {
      username: 'alice',
      password: PASSWORDS.alice,
      next: '/café?q=ü',
    });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/caf%C3%A9?q=%C3%BC');
  });

  it('keeps a local path with its query, so the device flow resumes where it left off', async () => {
    const next = `${VERIFICATION_PATH}?user_code=BCDF-GHJK`;
    const response = await submitLoginForm(request.agent(testApp.http), { username: 'alice', password: PASSWORDS.alice, next });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(next);
  });
});
