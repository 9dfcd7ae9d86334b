import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { PersonalAccessTokensService, PersonalAccessTokenView } from '../../lib';
import { csrfTokenOf, signedInBrowser } from './support/device-flow';
import { TestApp, useTestApp } from './support/test-app';
import { errorMessageOf, expectPageSecurityHeaders } from './support/verification-page';

const PAGE = '/settings/tokens';
const API = '/o/personal-access-tokens';
const DAY = 24 * 3600;

type Fields = [string, string][];

/** A form body as a browser encodes it: repeated names for checked boxes, nothing bracketed. */
const encode = (fields: Fields): string => new URLSearchParams(fields).toString();

/** The token shown once after creation, or null. */
const newTokenOf = (html: string): string | null => /<p class="token" id="new-token">([^<]*)<\/p>/.exec(html)?.[1] ?? null;

const noticeOf = (html: string): string | null => /<p class="notice" role="status">([^<]*)<\/p>/.exec(html)?.[1] ?? null;

/** The rows of the "Your tokens" table, as HTML. */
const rowsOf = (html: string): string[] => [...html.matchAll(/<tr><td>.*?<\/tr>/gs)].map((match) => match[0]);

/** The value of each `<option>` of the expiry select, and which one is selected. */
function expiryOptionsOf(html: string): { values: string[]; selected: string | undefined } {
  const select = /<select id="expires_in_days" name="expires_in_days">(.*?)<\/select>/s.exec(html)?.[1] ?? '';
  const options = [...select.matchAll(/<option value="([^"]*)"( selected)?>/g)];
  return { values: options.map((option) => option[1]), selected: options.find((option) => option[2])?.[1] };
}

const openPage = (browser: TestAgent) => browser.get(PAGE).expect(200);

/** Submits a form of the page with the CSRF token the page gave this browser (unless `fields` brings its own). */
async function submit(browser: TestAgent, fields: Fields): Promise<request.Response> {
  const withToken = fields.some(([name]) => name.startsWith('csrf_token'))
    ? fields
    : [['csrf_token', csrfTokenOf((await openPage(browser)).text)] as [string, string], ...fields];
  return browser.post(PAGE).type('form').send(encode(withToken));
}

const createFields = (name: string, scopes: string[], expiresInDays?: string): Fields => [
  ['action', 'create'],
  ['name', name],
  ...scopes.map((scope): [string, string] => ['scopes', scope]),
  ...(expiresInDays === undefined ? [] : [['expires_in_days', expiresInDays] as [string, string]]),
];

/** Creates a token on the page as a user would, and returns the token it shows once. */
async function createOnPage(browser: TestAgent, name: string, scopes: string[], expiresInDays?: string): Promise<string> {
  const response = await submit(browser, createFields(name, scopes, expiresInDays));
  expect(response.status).toBe(201);
  const token = newTokenOf(response.text);
  expect(token).toMatch(/^bpat_[0-9A-Za-z]{36}$/);
  return token as string;
}

const listOf = async (browser: TestAgent): Promise<PersonalAccessTokenView[]> => (await browser.get(API).expect(200)).body;

const callMe = (testApp: TestApp, token: string, path = '/api/v1/me') =>
  request(testApp.http).get(path).set('Authorization', `Bearer ${token}`);

const day = (millis: number) => new Date(millis).toISOString().slice(0, 10);

describe('API tokens page: a signed-out visitor', () => {
  const testApp = useTestApp();

  it('is sent to log in (303), and back to the page afterwards', async () => {
    const response = await request(testApp.http).get(PAGE).expect(303);
    expectPageSecurityHeaders(response);
    const location = new URL(response.headers.location, 'http://localhost');
    expect(location.pathname).toBe('/login');
    expect(location.searchParams.get('next')).toBe(PAGE);
  });

  it('cannot create or revoke: a signed-out POST is sent to log in and changes nothing', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const token = await createOnPage(alice, 'kept', ['user:read']);
    const [kept] = await listOf(alice);
    const csrf = csrfTokenOf((await openPage(alice)).text);

    const stranger = request.agent(testApp.http);
    await stranger
      .post(PAGE)
      .type('form')
      .send(encode([['csrf_token', csrf], ...createFields('sneaky', ['user:read'])]))
      .expect(303);
    await stranger
      .post(PAGE)
      .type('form')
      .send(
        encode([
          ['csrf_token', csrf],
          ['action', 'revoke'],
          ['token_id', kept.id],
        ]),
      )
      .expect(303);
    expect((await listOf(alice)).map((view) => view.name)).toEqual(['kept']);
    await callMe(testApp, token).expect(200);
  });
});

describe('API tokens page: what a signed-in user sees', () => {
  const testApp = useTestApp();

  it('shows who is signed in, a create form with each grantable scope and its description, and no tokens yet', async () => {
    const page = await openPage(await signedInBrowser(testApp, 'alice'));
    expectPageSecurityHeaders(page);
    expect(page.type).toBe('text/html');
    expect(page.text).toContain('<h1>API tokens</h1>');
    expect(page.text).toContain('Signed in as Alice.');
    expect(csrfTokenOf(page.text)).toMatch(/^[0-9a-f]{64}$/);
    for (const [scope, description] of [
      ['user:read', 'Read your profile'],
      ['listings:read', 'Read your listings'],
      ['listings:write', 'Create and change your listings'],
      ['tokens:manage', 'Create, list and revoke your API tokens'],
    ]) {
      expect(page.text).toContain(`<input type="checkbox" name="scopes" value="${scope}"> <code>${scope}</code>: ${description}</label>`);
    }
    expect(page.text).toContain('You have no tokens yet.');
    expect(newTokenOf(page.text)).toBeNull();
  });

  it('offers lifetimes up to the maximum with the 90-day default selected, and no "never" unless allowed', async () => {
    const page = await openPage(await signedInBrowser(testApp, 'alice'));
    expect(expiryOptionsOf(page.text)).toEqual({ values: ['7', '30', '60', '90', '180', '365'], selected: '90' });
  });
});

describe('API tokens page: creating a token', () => {
  const testApp = useTestApp();

  it('creates it with the chosen name, scopes and lifetime, and shows it once: 201, the token works with exactly those scopes', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const response = await submit(alice, createFields('laptop backup', ['user:read', 'listings:read'], '30'));
    expect(response.status).toBe(201);
    expectPageSecurityHeaders(response);
    expect(response.text).toContain('Your new token “laptop backup”');
    expect(response.text).toContain('It will not be shown again');
    const token = newTokenOf(response.text) as string;
    expect(token).toMatch(/^bpat_[0-9A-Za-z]{36}$/);
    // The token appears on the page exactly once: not in the list below it.
    expect(response.text.split(token)).toHaveLength(2);

    const me = await callMe(testApp, token).expect(200);
    expect(me.body).toMatchObject({ username: 'alice', tokenKind: 'pat', scopes: ['user:read', 'listings:read'] });
    expect(me.headers['token-expiration']).toBe(new Date(testApp.clock.now() + 30 * DAY * 1000).toISOString());
    await callMe(testApp, token, '/api/v1/listings').expect(200);
    await request(testApp.http)
      .post('/api/v1/listings')
      .set('Authorization', `Bearer ${token}`)
      .send({ title: 'No', priceCents: 1 })
      .expect(403);
  });

  it('takes a single checked scope, and the default lifetime (90 days) when none is chosen', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const token = await createOnPage(alice, 'one scope', ['listings:read']);
    const me = await callMe(testApp, token, '/api/v1/listings').expect(200);
    expect(me.headers['token-expiration']).toBe(new Date(testApp.clock.now() + 90 * DAY * 1000).toISOString());
  });

  it('never shows the token again: not on later visits, not in the JSON listing, not after creating another', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const token = await createOnPage(alice, 'shown once', ['user:read']);
    const later = await openPage(alice);
    expect(later.text).not.toContain(token);
    expect(later.text).not.toContain(token.slice(5, 35));
    expect(newTokenOf(later.text)).toBeNull();
    // The list shows it by name and hint only.
    const row = rowsOf(later.text).find((html) => html.includes('shown once')) as string;
    expect(row).toContain(`bpat_…${token.slice(-4)}`);

    expect((await alice.get(API).expect(200)).text).not.toContain(token);
    const another = await submit(alice, createFields('another', ['user:read']));
    expect(another.status).toBe(201);
    expect(another.text).not.toContain(token);
    // Nor to another browser of the same user.
    expect((await openPage(await signedInBrowser(testApp, 'alice'))).text).not.toContain(token);
  });

  it('lists each token with its scopes, created, last used (with address) and expiry dates', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const created = testApp.clock.now();
    const token = await createOnPage(alice, 'listed', ['user:read', 'listings:read'], '7');
    let row = rowsOf((await openPage(alice)).text).find((html) => html.includes('listed')) as string;
    expect(row).toContain('<code>user:read</code> <code>listings:read</code>');
    expect(row).toContain(`<td>${day(created)}</td><td>never</td><td>${day(created + 7 * DAY * 1000)}</td>`);

    testApp.clock.advance(2 * DAY);
    await callMe(testApp, token).expect(200);
    row = rowsOf((await openPage(alice)).text).find((html) => html.includes('listed')) as string;
    expect(row).toMatch(new RegExp(`<td>${day(created + 2 * DAY * 1000)} from (::ffff:)?127\\.0\\.0\\.1</td>`));
  });

  it('lets the user choose "no expiry" only where the host allows it', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const before = (await listOf(alice)).length;
    const refused = await submit(alice, createFields('forever', ['user:read'], 'never'));
    expect(refused.status).toBe(400);
    expect(errorMessageOf(refused.text)).toBe('Could not create the token: tokens that never expire are not allowed here.');
    expect(newTokenOf(refused.text)).toBeNull();
    expect(await listOf(alice)).toHaveLength(before);
  });
});

describe('API tokens page: revoking a token', () => {
  const testApp = useTestApp();

  it('revokes with the Revoke button: the token is refused at once, and the row says revoked with no button', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const token = await createOnPage(alice, 'to revoke', ['user:read']);
    await callMe(testApp, token).expect(200);
    const [view] = await listOf(alice);
    const page = await openPage(alice);
    const row = rowsOf(page.text).find((html) => html.includes('to revoke')) as string;
    expect(row).toContain(`<input type="hidden" name="action" value="revoke"><input type="hidden" name="token_id" value="${view.id}">`);

    const response = await submit(alice, [
      ['action', 'revoke'],
      ['token_id', view.id],
    ]);
    expect(response.status).toBe(200);
    expectPageSecurityHeaders(response);
    expect(noticeOf(response.text)).toBe('The token was revoked.');
    expect((await callMe(testApp, token).expect(401)).headers['www-authenticate']).toContain('error="invalid_token"');

    const after = rowsOf((await openPage(alice)).text).find((html) => html.includes('to revoke')) as string;
    expect(after).toContain('<td>revoked</td>');
    expect(after).not.toContain('name="token_id"');
    expect(
      (
        await submit(alice, [
          ['action', 'revoke'],
          ['token_id', view.id],
        ])
      ).status,
    ).toBe(404);
  });

  it('cannot revoke another user’s token: 404, and that token keeps working', async () => {
    const bob = await signedInBrowser(testApp, 'bob');
    const bobsToken = await createOnPage(bob, 'bob’s', ['user:read']);
    const [bobsView] = await listOf(bob);
    const alice = await signedInBrowser(testApp, 'alice');
    const response = await submit(alice, [
      ['action', 'revoke'],
      ['token_id', bobsView.id],
    ]);
    expect(response.status).toBe(404);
    expect(errorMessageOf(response.text)).toBe('No such active token.');
    await callMe(testApp, bobsToken).expect(200);
    expect((await listOf(bob))[0].status).toBe('active');
    // Nor does alice's page list it.
    expect((await openPage(alice)).text).not.toContain(bobsView.id);
  });
});

describe('API tokens page: the CSRF token', () => {
  const testApp = useTestApp();

  it.each<[string, (alice: TestAgent, bob: TestAgent) => Promise<Fields>]>([
    ['missing', async () => []],
    ['empty', async () => [['csrf_token', '']]],
    ['wrong', async (alice) => [['csrf_token', csrfTokenOf((await openPage(alice)).text).replace(/^./, (c) => (c === '0' ? '1' : '0'))]]],
    ['another user’s', async (_, bob) => [['csrf_token', csrfTokenOf((await openPage(bob)).text)]]],
    ['sent as a list', async (alice) => [['csrf_token[]', csrfTokenOf((await openPage(alice)).text)]]],
  ])('refuses a create with a %s token: 403, and nothing is created', async (_, csrf) => {
    const alice = await signedInBrowser(testApp, 'alice');
    const bob = await signedInBrowser(testApp, 'bob');
    const before = (await listOf(alice)).length;
    const fields = await csrf(alice, bob);
    const response = await alice
      .post(PAGE)
      .type('form')
      .send(encode([...fields, ...createFields('forged', ['user:read'])]));
    expect(response.status).toBe(403);
    expectPageSecurityHeaders(response);
    expect(newTokenOf(response.text)).toBeNull();
    expect(errorMessageOf(response.text)).toBe('This form has expired. Reload the page and try again.');
    expect(await listOf(alice)).toHaveLength(before);
  });

  it.each<[string, (alice: TestAgent, bob: TestAgent) => Promise<Fields>]>([
    ['missing', async () => []],
    ['wrong', async () => [['csrf_token', '0'.repeat(64)]]],
    ['another user’s', async (_, bob) => [['csrf_token', csrfTokenOf((await openPage(bob)).text)]]],
  ])('refuses a revoke with a %s token: 403, and the token keeps working', async (_, csrf) => {
    const alice = await signedInBrowser(testApp, 'alice');
    const bob = await signedInBrowser(testApp, 'bob');
    const token = await createOnPage(alice, 'kept', ['user:read']);
    const view = (await listOf(alice)).find((listed) => listed.hint === `bpat_…${token.slice(-4)}`) as PersonalAccessTokenView;
    const fields = await csrf(alice, bob);
    const response = await alice
      .post(PAGE)
      .type('form')
      .send(encode([...fields, ['action', 'revoke'], ['token_id', view.id]]));
    expect(response.status).toBe(403);
    await callMe(testApp, token).expect(200);
    expect((await listOf(alice)).find((listed) => listed.id === view.id)?.status).toBe('active');
  });
});

describe('API tokens page: escaping', () => {
  const testApp = useTestApp();

  it('escapes the token name in the “new token” heading and in the list', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const name = `<script>alert("x")</script><img src=x onerror='y'>&amp;`;
    const response = await submit(alice, createFields(name, ['user:read']));
    expect(response.status).toBe(201);
    const escaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;&amp;amp;';
    for (const html of [response.text, (await openPage(alice)).text]) {
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<img');
      expect(html).toContain(escaped);
    }
    expect(response.text).toContain(`Your new token “${escaped}”`);
    // Stored as typed: escaping is the page's job, not the database's.
    expect((await listOf(alice))[0].name).toBe(name);
  });
});

describe('API tokens page: malformed forms (a 4xx page, never a 500, nothing changes)', () => {
  const testApp = useTestApp();
  let alice: TestAgent;
  let kept: { token: string; id: string };
  beforeAll(async () => {
    alice = await signedInBrowser(testApp, 'alice');
    const token = await createOnPage(alice, 'kept', ['user:read']);
    kept = { token, id: (await listOf(alice))[0].id };
  });

  it.each<[string, Fields, number, RegExp]>([
    ['no scopes checked', createFields('x', []), 400, /scopes must be a non-empty list/],
    ['an unknown scope', createFields('x', ['admin']), 400, /scopes not allowed for this token: admin/],
    ['an empty name', createFields('', ['user:read']), 400, /name is required/],
    ['a 10 KB name', createFields('n'.repeat(10 * 1024), ['user:read']), 400, /at most 100 characters/],
    ['a name with a NUL byte', createFields('a\u0000b', ['user:read']), 400, /name must not contain control characters/],
    ['a name with CR/LF', createFields('a\r\nb', ['user:read']), 400, /name must not contain control characters/],
    ['a lifetime that is no number', createFields('x', ['user:read'], 'soon'), 400, /malformed/],
    ['a fractional lifetime', createFields('x', ['user:read'], '1.5'), 400, /malformed/],
    ['an empty lifetime', createFields('x', ['user:read'], ''), 400, /expiry must be between/],
    ['a lifetime of 0 days', createFields('x', ['user:read'], '0'), 400, /expiry must be between/],
    ['a lifetime above the maximum', createFields('x', ['user:read'], '367'), 400, /expiry must be between 1 second and 366 days/],
    [
      'the name as a list',
      [
        ['action', 'create'],
        ['name[]', 'x'],
        ['scopes', 'user:read'],
      ],
      400,
      /malformed/,
    ],
    [
      'the name twice',
      [
        ['action', 'create'],
        ['name', 'x'],
        ['name', 'y'],
        ['scopes', 'user:read'],
      ],
      400,
      /malformed/,
    ],
    [
      'the scopes as an object',
      [
        ['action', 'create'],
        ['name', 'x'],
        ['scopes[a]', 'user:read'],
      ],
      400,
      /malformed/,
    ],
    ['the lifetime as a list', [...createFields('x', ['user:read']), ['expires_in_days[]', '7']], 400, /malformed/],
    ['the lifetime twice', [...createFields('x', ['user:read']), ['expires_in_days', '7'], ['expires_in_days', '30']], 400, /malformed/],
    [
      'the action as a list',
      [
        ['action[]', 'create'],
        ['name', 'x'],
        ['scopes', 'user:read'],
      ],
      400,
      /Unknown action/,
    ],
    ['an unknown action', [['action', 'delete-all']], 400, /Unknown action/],
    ['no action', [['name', 'x']], 400, /Unknown action/],
  ])('answers a create with %s', async (_, fields, status, message) => {
    const before = await listOf(alice);
    const response = await submit(alice, fields);
    expect(response.status).toBe(status);
    expect(response.type).toBe('text/html');
    expectPageSecurityHeaders(response);
    expect(errorMessageOf(response.text)).toMatch(message);
    expect(newTokenOf(response.text)).toBeNull();
    expect(await listOf(alice)).toEqual(before);
  });

  it.each<[string, (id: string) => Fields]>([
    [
      'the token id as a list',
      (id) => [
        ['action', 'revoke'],
        ['token_id[]', id],
      ],
    ],
    [
      'the token id twice',
      (id) => [
        ['action', 'revoke'],
        ['token_id', id],
        ['token_id', id],
      ],
    ],
    ['no token id', () => [['action', 'revoke']]],
    [
      'an unknown token id',
      () => [
        ['action', 'revoke'],
        ['token_id', '00000000-0000-4000-8000-000000000000'],
      ],
    ],
    [
      'a token id with a NUL byte',
      (id) => [
        ['action', 'revoke'],
        ['token_id', `${id}\u0000`],
      ],
    ],
    [
      'a 10 KB token id',
      () => [
        ['action', 'revoke'],
        ['token_id', 'i'.repeat(10 * 1024)],
      ],
    ],
  ])('answers a revoke with %s with a 4xx page, and revokes nothing', async (_, fields) => {
    const response = await submit(alice, fields(kept.id));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.type).toBe('text/html');
    await callMe(testApp, kept.token).expect(200);
  });

  it('answers a 100 KB form with a 4xx, and creates nothing', async () => {
    const before = await listOf(alice);
    const response = await submit(alice, [...createFields('big', ['user:read']), ['padding', 'p'.repeat(100 * 1024)]]);
    expect(response.status).toBe(413);
    expect(await listOf(alice)).toEqual(before);
  });
});

describe('API tokens page: options', () => {
  describe('allowNoExpiry: true', () => {
    const testApp = useTestApp({ deviceAuth: { personalAccessTokens: { allowNoExpiry: true } } });

    it('offers "No expiry" last, and a token created with it never expires', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      const page = await openPage(alice);
      expect(expiryOptionsOf(page.text).values).toEqual(['7', '30', '60', '90', '180', '365', 'never']);
      expect(page.text).toContain('<option value="never">No expiry</option>');
      const token = await createOnPage(alice, 'forever', ['user:read'], 'never');
      testApp.clock.advance(5 * 366 * DAY);
      expect((await callMe(testApp, token).expect(200)).headers['token-expiration']).toBe('never');
      const row = rowsOf((await openPage(alice)).text).find((html) => html.includes('forever')) as string;
      expect(row).toMatch(/<td>never<\/td><td><form/);
    });
  });

  describe('a 30-day maximum and a 7-day default', () => {
    const testApp = useTestApp({ deviceAuth: { personalAccessTokens: { maxTtl: 30 * DAY, defaultTtl: 7 * DAY } } });

    it('offers only lifetimes within the maximum, selects the default, and refuses a longer one typed in', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      expect(expiryOptionsOf((await openPage(alice)).text)).toEqual({ values: ['7', '30'], selected: '7' });
      const refused = await submit(alice, createFields('long', ['user:read'], '60'));
      expect(refused.status).toBe(400);
      expect(errorMessageOf(refused.text)).toBe('Could not create the token: expiry must be between 1 second and 30 days.');
      expect(await listOf(alice)).toEqual([]);
    });
  });

  describe('grantableScopes: bob may only grant user:read', () => {
    const users: { bob?: string } = {};
    const testApp = useTestApp({
      deviceAuth: {
        personalAccessTokens: { grantableScopes: (userId) => (userId === users.bob ? ['user:read'] : ['user:read', 'listings:read']) },
      },
    });
    beforeAll(async () => {
      users.bob = await testApp.userId('bob');
    });

    it('shows bob only the scopes he may grant, and refuses another one sent anyway', async () => {
      const bob = await signedInBrowser(testApp, 'bob');
      const page = await openPage(bob);
      expect([...page.text.matchAll(/name="scopes" value="([^"]*)"/g)].map((match) => match[1])).toEqual(['user:read']);
      const refused = await submit(bob, createFields('wider', ['user:read', 'listings:read']));
      expect(refused.status).toBe(400);
      expect(errorMessageOf(refused.text)).toMatch(/scopes not allowed for this token: listings:read/);
      expect(await testApp.app.get(PersonalAccessTokensService).list(users.bob as string)).toEqual([]);
    });
  });
});
