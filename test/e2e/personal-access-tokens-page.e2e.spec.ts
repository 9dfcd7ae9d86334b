import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import {
  DEVICE_AUTH_MESSAGES_DE,
  ExpiredRowsCleaner,
  messagesByLanguage,
  PersonalAccessToken,
  PersonalAccessTokensService,
  PersonalAccessTokenView,
} from '../../lib';
import { COPY_SCRIPT_HTML } from '../../lib/pages/html';
import { csrfTokenOf, signedInBrowser } from './support/device-flow';
import { present } from './support/present';
import { TestApp, useTestApp } from './support/test-app';
import { errorMessageOf, expectPageSecurityHeaders, headingOf } from './support/verification-page';

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
const rowsOf = (html: string): string[] => [...html.matchAll(/<tr><td class="name">.*?<\/tr>/gs)].map((match) => match[0]);

/** A row's cells by their label (the list's column headings), as HTML. */
const cellsOf = (row: string): Record<string, string> =>
  Object.fromEntries([...row.matchAll(/<td data-label="([^"]*)">(.*?)<\/td>/gs)].map((match) => [match[1], match[2]]));

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

/** Follows a POST's 303 as a browser does: a GET of its Location. */
async function follow(browser: TestAgent, response: request.Response): Promise<request.Response> {
  expect(response.status).toBe(303);
  expectPageSecurityHeaders(response);
  return browser.get(response.headers.location).expect(200);
}

/** Creates a token on the page as a user would (the form's POST, then the page it redirects to), and returns the token it shows once. */
async function createOnPage(browser: TestAgent, name: string, scopes: string[], expiresInDays?: string): Promise<string> {
  const shown = await follow(browser, await submit(browser, createFields(name, scopes, expiresInDays)));
  const token = newTokenOf(shown.text);
  expect(token).toMatch(/^bpat_[0-9A-Za-z]{36}$/);
  return token as string;
}

/** The page's answer to a revoke form for `id`, as sent from the question page. */
async function revokeOnPage(browser: TestAgent, id: string): Promise<request.Response> {
  const question = await browser.get(PAGE).query({ revoke: id });
  const fields: Fields = question.status === 200 ? [['csrf_token', csrfTokenOf(question.text)]] : [];
  return submit(browser, [...fields, ['action', 'revoke'], ['token_id', id]]);
}

const listOf = async (browser: TestAgent): Promise<PersonalAccessTokenView[]> => (await browser.get(API).expect(200)).body;

/** The listing of one token, found by its hint. */
const viewOf = async (browser: TestAgent, token: string): Promise<PersonalAccessTokenView> =>
  present(
    (await listOf(browser)).find((view) => view.hint === `bpat_…${token.slice(-4)}`),
    'the token in the list',
  );

/** How many of the user's tokens have that name. */
const countNamed = async (browser: TestAgent, name: string): Promise<number> =>
  (await listOf(browser)).filter((view) => view.name === name).length;

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
    // A token of its own for this one form: a random key and an HMAC binding it to alice.
    expect(csrfTokenOf(page.text)).toMatch(/^[A-Za-z0-9_-]{22}\.[0-9a-f]{64}$/);
    expect(csrfTokenOf((await openPage(await signedInBrowser(testApp, 'alice'))).text)).not.toBe(csrfTokenOf(page.text));
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

  it('creates it with the chosen name, scopes and lifetime, and shows it once after a 303: the token works with exactly those scopes', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const posted = await submit(alice, createFields('laptop backup', ['user:read', 'listings:read'], '30'));
    const response = await follow(alice, posted);
    expectPageSecurityHeaders(response);
    expect(response.text).toContain('Your new token “laptop backup”');
    expect(response.text).toContain('It will not be shown again');
    const token = newTokenOf(response.text) as string;
    // The redirect names the token and the key its sealed value opens with, never the token itself.
    expect(posted.headers.location).not.toContain(token.slice(5));
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
    const another = await follow(alice, await submit(alice, createFields('another', ['user:read'])));
    expect(newTokenOf(another.text)).not.toBeNull();
    expect(another.text).not.toContain(token);
    // Nor to another browser of the same user.
    expect((await openPage(await signedInBrowser(testApp, 'alice'))).text).not.toContain(token);
  });

  it('lists each token with its scopes, created, last used (with address) and expiry dates', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const created = testApp.clock.now();
    const token = await createOnPage(alice, 'listed', ['user:read', 'listings:read'], '7');
    let row = rowsOf((await openPage(alice)).text).find((html) => html.includes('listed')) as string;
    expect(cellsOf(row)).toEqual({
      Scopes: '<code>user:read</code> <code>listings:read</code>',
      Created: day(created),
      'Last used': 'never',
      Expires: day(created + 7 * DAY * 1000),
    });

    testApp.clock.advance(2 * DAY);
    await callMe(testApp, token).expect(200);
    row = rowsOf((await openPage(alice)).text).find((html) => html.includes('listed')) as string;
    expect(cellsOf(row)['Last used']).toMatch(new RegExp(`^${day(created + 2 * DAY * 1000)} from (::ffff:)?127\\.0\\.0\\.1$`));
  });

  it('lets the user choose "no expiry" only where the host allows it', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const before = (await listOf(alice)).length;
    const refused = await submit(alice, createFields('forever', ['user:read'], 'never'));
    expect(refused.status).toBe(400);
    expect(errorMessageOf(refused.text)).toBe('Choose when the token expires: tokens that never expire are not allowed here.');
    expect(newTokenOf(refused.text)).toBeNull();
    expect(await listOf(alice)).toHaveLength(before);
  });
});

describe('API tokens page: post/redirect/get, and a form that creates one token', () => {
  const testApp = useTestApp();

  /** The page's create form as the browser holds it: its one-time token and the fields. */
  async function formOnPage(browser: TestAgent, name: string): Promise<Fields> {
    return [['csrf_token', csrfTokenOf((await openPage(browser)).text)], ...createFields(name, ['user:read'])];
  }

  const post = (browser: TestAgent, fields: Fields) => browser.post(PAGE).type('form').send(encode(fields));

  const locationOf = (response: request.Response): URL => new URL(response.headers.location, 'http://localhost');

  it('answers Create token with a 303 to the page, whose URL holds the token’s id and a key but not the token', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const posted = await post(alice, await formOnPage(alice, 'prg'));
    expect(posted.status).toBe(303);
    expect(posted.text).not.toMatch(/bpat_/);
    const location = locationOf(posted);
    expect(location.pathname).toBe(PAGE);
    const [view] = await listOf(alice);
    expect([...location.searchParams.keys()]).toEqual(['created', 'key']);
    expect(location.searchParams.get('created')).toBe(view.id);
    expect(location.searchParams.get('key')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const token = newTokenOf((await follow(alice, posted)).text) as string;
    expect(location.href).not.toContain(token.slice(5, 20));
  });

  it('shows the token on the first GET only: a reload (or Back) says it was created and is no longer shown', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const posted = await post(alice, await formOnPage(alice, 'reloaded'));
    const first = await follow(alice, posted);
    const token = newTokenOf(first.text) as string;
    for (let reload = 0; reload < 2; reload++) {
      const again = await alice.get(posted.headers.location).expect(200);
      expect(newTokenOf(again.text)).toBeNull();
      expect(again.text).not.toContain(token);
      expect(noticeOf(again.text)).toBe(
        'The token “reloaded” was created. Its value was shown once and is not shown again: if you did not copy it, revoke it and create a new one.',
      );
    }
    expect(await countNamed(alice, 'reloaded')).toBe(1);
    await callMe(testApp, token).expect(200);
  });

  it('creates nothing when the same form is sent again after the token was shown, and says so', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const form = await formOnPage(alice, 'sent twice');
    const token = newTokenOf((await follow(alice, await post(alice, form))).text) as string;
    const resent = await post(alice, form);
    expect(locationOf(resent).searchParams.get('resent')).toBe('1');
    const page = await follow(alice, resent);
    expect(noticeOf(page.text)).toBe(
      'This form was already sent, and the token “sent twice” was created then; no second token was made. Its value was shown once: if you did not copy it, revoke it and create a new one.',
    );
    expect(page.text).not.toContain(token);
    expect(await countNamed(alice, 'sent twice')).toBe(1);
  });

  it('sends a double click (two POSTs before the first page) to the same page, which still shows the token once', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const form = await formOnPage(alice, 'double click');
    const first = await post(alice, form);
    const second = await post(alice, form);
    expect(second.headers.location).toBe(first.headers.location);
    const token = newTokenOf((await follow(alice, second)).text);
    expect(token).toMatch(/^bpat_/);
    expect(newTokenOf((await follow(alice, first)).text)).toBeNull();
    expect(await countNamed(alice, 'double click')).toBe(1);
  });

  it('creates one token from one form sent 6 times at once', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const form = await formOnPage(alice, 'at once');
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(alice, form)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(303));
    expect(new Set(answers.map((answer) => answer.headers.location)).size).toBe(1);
    expect(await countNamed(alice, 'at once')).toBe(1);
  });

  it('gives a new form (a new page) its own token: a second token is made on purpose only', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    await createOnPage(alice, 'again', ['user:read']);
    await createOnPage(alice, 'again', ['user:read']);
    expect(await countNamed(alice, 'again')).toBe(2);
  });

  it('shows nothing to another user, nor with a wrong key, and keeps the token for the right key', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const posted = await post(alice, await formOnPage(alice, 'guarded'));
    const location = locationOf(posted);

    const bob = await signedInBrowser(testApp, 'bob');
    const bobs = await bob.get(location.pathname + location.search).expect(200);
    expect(newTokenOf(bobs.text)).toBeNull();
    expect(bobs.text).not.toContain('guarded');

    const wrongKey = new URLSearchParams(location.search);
    wrongKey.set('key', 'A'.repeat(43));
    expect(newTokenOf((await alice.get(`${PAGE}?${wrongKey.toString()}`).expect(200)).text)).toBeNull();
    wrongKey.set('key', 'not a key');
    expect(newTokenOf((await alice.get(`${PAGE}?${wrongKey.toString()}`).expect(200)).text)).toBeNull();

    expect(newTokenOf((await follow(alice, posted)).text)).toMatch(/^bpat_/);
  });

  it('keeps the new token in the database only sealed, until it is shown; the clean-up job drops one nobody came to see', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    // Tokens of the tests before, never shown, past their window and dropped: this test counts its own.
    testApp.clock.advance(11 * 60);
    await testApp.app.get(ExpiredRowsCleaner).purge();
    const pendingOf = async (id: string): Promise<string | null> =>
      (await testApp.app.get(DataSource).getRepository(PersonalAccessToken).findOneByOrFail({ id })).pendingReveal;

    const shown = await post(alice, await formOnPage(alice, 'sealed'));
    const shownId = locationOf(shown).searchParams.get('created') as string;
    const sealed = await pendingOf(shownId);
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
    const token = newTokenOf((await follow(alice, shown)).text) as string;
    expect(sealed).not.toContain(token.slice(5, 20));
    expect(await pendingOf(shownId)).toBeNull();

    const unseen = await post(alice, await formOnPage(alice, 'unseen'));
    const unseenId = locationOf(unseen).searchParams.get('created') as string;
    testApp.clock.advance(9 * 60);
    expect((await testApp.app.get(ExpiredRowsCleaner).purge()).unshownTokens).toBe(0);
    testApp.clock.advance(2 * 60);
    expect((await testApp.app.get(ExpiredRowsCleaner).purge()).unshownTokens).toBe(1);
    expect(await pendingOf(unseenId)).toBeNull();
    expect(noticeOf((await follow(alice, unseen)).text)).toMatch(/^The token “unseen” was created\. Its value was shown once/);
  });

  it('no longer shows a token past its 10-minute window, even before the clean-up job ran', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const posted = await post(alice, await formOnPage(alice, 'late'));
    testApp.clock.advance(10 * 60 + 1);
    expect(newTokenOf((await follow(alice, posted)).text)).toBeNull();
  });
});

describe('API tokens page: an error keeps what was typed and says what to do', () => {
  const testApp = useTestApp({ deviceAuth: { messages: messagesByLanguage({ de: DEVICE_AUTH_MESSAGES_DE }) } });

  /** Whether the field of that name is filled in, ticked or selected, as the page renders it. */
  const nameValueOf = (html: string) => /<input type="text" id="name" name="name"[^>]* value="([^"]*)">/.exec(html)?.[1];
  const tickedOf = (html: string) => [...html.matchAll(/name="scopes" value="([^"]*)" checked>/g)].map((match) => match[1]);

  it('keeps the name and the expiry when no scope was chosen, and asks for one (English and German)', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const refused = await submit(alice, createFields('deploy script', [], '30'));
    expect(refused.status).toBe(400);
    expect(errorMessageOf(refused.text)).toBe('Choose at least one scope.');
    expect(nameValueOf(refused.text)).toBe('deploy script');
    expect(expiryOptionsOf(refused.text).selected).toBe('30');
    expect(tickedOf(refused.text)).toEqual([]);

    const page = await alice.get(PAGE).set('Accept-Language', 'de').expect(200);
    const german = await alice
      .post(PAGE)
      .set('Accept-Language', 'de')
      .type('form')
      .send(encode([['csrf_token', csrfTokenOf(page.text)], ...createFields('Deploy', [], '7')]))
      .expect(400);
    expect(errorMessageOf(german.text)).toBe('Wählen Sie mindestens eine Berechtigung.');
    expect(nameValueOf(german.text)).toBe('Deploy');
    expect(expiryOptionsOf(german.text).selected).toBe('7');
    expect(await listOf(alice)).toEqual([]);
  });

  it('keeps the ticked scopes when the name is missing, and the form sent after fixing it creates the token', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const refused = await submit(alice, createFields('  ', ['user:read', 'listings:read'], '60'));
    expect(refused.status).toBe(400);
    expect(errorMessageOf(refused.text)).toBe('Give the token a name of at most 100 characters.');
    expect(tickedOf(refused.text)).toEqual(['user:read', 'listings:read']);
    expect(expiryOptionsOf(refused.text).selected).toBe('60');

    // The page the error answered is a form of its own: fixed and sent, it creates the token.
    const fixed = await alice
      .post(PAGE)
      .type('form')
      .send(encode([['csrf_token', csrfTokenOf(refused.text)], ...createFields('fixed', ['user:read'], '60')]));
    expect(newTokenOf((await follow(alice, fixed)).text)).toMatch(/^bpat_/);
  });

  it('escapes what it gives back', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const refused = await submit(alice, createFields('"><script>x</script>', []));
    expect(nameValueOf(refused.text)).toBe('&quot;&gt;&lt;script&gt;x&lt;/script&gt;');
  });
});

describe('API tokens page: the scopes a token may carry', () => {
  const offeredOf = (html: string) => [...html.matchAll(/name="scopes" value="([^"]*)"/g)].map((match) => match[1]);

  describe('by default', () => {
    const testApp = useTestApp();

    it('offers the API scopes and none of the sign-in scopes (openid, profile, email, offline_access), and refuses one sent anyway', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      expect(offeredOf((await openPage(alice)).text)).toEqual(['user:read', 'listings:read', 'listings:write', 'tokens:manage']);
      for (const scope of ['openid', 'profile', 'email', 'offline_access']) {
        const refused = await submit(alice, createFields('sign-in', ['user:read', scope]));
        expect(refused.status).toBe(400);
        expect(errorMessageOf(refused.text)).toBe(`You cannot give a token these scopes: ${scope}.`);
      }
      expect(await listOf(alice)).toEqual([]);
    });
  });

  describe('personalAccessTokens.scopes: user:read and openid', () => {
    const testApp = useTestApp({ deviceAuth: { personalAccessTokens: { scopes: ['user:read', 'openid'] } } });

    it('offers exactly those, and creates a token with them', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      expect(offeredOf((await openPage(alice)).text)).toEqual(['user:read', 'openid']);
      const token = await createOnPage(alice, 'listed scopes', ['user:read', 'openid']);
      expect((await callMe(testApp, token).expect(200)).body.scopes).toEqual(['user:read', 'openid']);
      const refused = await submit(alice, createFields('not listed', ['listings:read']));
      expect(errorMessageOf(refused.text)).toBe('You cannot give a token these scopes: listings:read.');
    });
  });
});

describe('API tokens page: revoking a token', () => {
  const testApp = useTestApp();

  it('asks first: Revoke in the list opens a question naming the token, with Revoke and Cancel, and changes nothing yet', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const token = await createOnPage(alice, 'to keep or not', ['user:read', 'listings:read'], '30');
    const view = await viewOf(alice, token);
    const row = rowsOf((await openPage(alice)).text).find((html) => html.includes('to keep or not')) as string;
    // The list's button is a GET form: it only opens the question.
    expect(row).toContain(
      `<form method="get" action="${PAGE}"><input type="hidden" name="revoke" value="${view.id}"><button type="submit" class="secondary">Revoke</button></form>`,
    );

    const question = await alice.get(PAGE).query({ revoke: view.id }).expect(200);
    expectPageSecurityHeaders(question);
    expect(headingOf(question.text)).toBe('Revoke “to keep or not”?');
    expect(question.text).toContain('Scripts and tools that use this token stop working at once. This cannot be undone.');
    expect(question.text).toContain(`<code class="meta">bpat_…${token.slice(-4)}</code>`);
    expect(question.text).toContain('<dd><code>user:read</code> <code>listings:read</code></dd>');
    expect(question.text).toContain(
      `<input type="hidden" name="action" value="revoke">\n<input type="hidden" name="token_id" value="${view.id}">`,
    );
    expect(question.text).toContain('<button type="submit" class="danger">Revoke</button>');
    expect(question.text).toContain(`<a class="button secondary" href="${PAGE}">Cancel</a>`);
    expect(question.text).not.toMatch(/<script/);
    await callMe(testApp, token).expect(200);
    expect((await viewOf(alice, token)).status).toBe('active');
  });

  it('revokes on the question’s Revoke: a 303 to the list, which says so; the token is refused at once, and the row says revoked with no button', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const token = await createOnPage(alice, 'to revoke', ['user:read']);
    await callMe(testApp, token).expect(200);
    const view = await viewOf(alice, token);

    const answer = await revokeOnPage(alice, view.id);
    expect(new URL(answer.headers.location, 'http://localhost').searchParams.get('revoked')).toBe(view.id);
    const response = await follow(alice, answer);
    expect(noticeOf(response.text)).toBe('The token was revoked.');
    expect((await callMe(testApp, token).expect(401)).headers['www-authenticate']).toContain('error="invalid_token"');

    const after = rowsOf((await openPage(alice)).text).find((html) => html.includes('to revoke')) as string;
    expect(after).toContain('<td class="action">revoked</td>');
    expect(after).not.toContain('name="revoke"');
    // The question is no longer offered for it.
    expect((await alice.get(PAGE).query({ revoke: view.id })).status).toBe(404);
    // The same revoke form sent again (a resend) revokes nothing new and lands on the same notice.
    const again = await revokeOnPage(alice, view.id);
    expect(noticeOf((await follow(alice, again)).text)).toBe('The token was revoked.');
  });

  it('cannot revoke another user’s token: 404, and that token keeps working', async () => {
    const bob = await signedInBrowser(testApp, 'bob');
    const bobsToken = await createOnPage(bob, 'bob’s', ['user:read']);
    const [bobsView] = await listOf(bob);
    const alice = await signedInBrowser(testApp, 'alice');
    const question = await alice.get(PAGE).query({ revoke: bobsView.id }).expect(404);
    expect(errorMessageOf(question.text)).toBe('No such active token.');
    expect(question.text).not.toContain('bob’s');
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
    const response = await follow(alice, await submit(alice, createFields(name, ['user:read'])));
    const escaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;&amp;amp;';
    const [{ id }] = await listOf(alice);
    const question = (await alice.get(PAGE).query({ revoke: id }).expect(200)).text;
    expect(question).toContain(`<h1>Revoke “${escaped}”?</h1>`);
    for (const page of [response.text, (await openPage(alice)).text, question]) {
      // The page's one script is the built-in copy button's; nothing typed becomes another.
      const html = page.replace(COPY_SCRIPT_HTML, '');
      expect(html).not.toContain('<script');
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
    ['no scopes checked', createFields('x', []), 400, /^Choose at least one scope\.$/],
    ['an unknown scope', createFields('x', ['admin']), 400, /^You cannot give a token these scopes: admin\.$/],
    ['an empty name', createFields('', ['user:read']), 400, /^Give the token a name of at most 100 characters\.$/],
    ['a 10 KB name', createFields('n'.repeat(10 * 1024), ['user:read']), 400, /at most 100 characters/],
    [
      'a name with a NUL byte',
      createFields('a\u0000b', ['user:read']),
      400,
      /^The name cannot contain line breaks or other control characters\.$/,
    ],
    ['a name with CR/LF', createFields('a\r\nb', ['user:read']), 400, /cannot contain line breaks/],
    ['a lifetime that is no number', createFields('x', ['user:read'], 'soon'), 400, /malformed/],
    ['a fractional lifetime', createFields('x', ['user:read'], '1.5'), 400, /malformed/],
    ['an empty lifetime', createFields('x', ['user:read'], ''), 400, /^Choose an expiry between 1 and 366 days\.$/],
    ['a lifetime of 0 days', createFields('x', ['user:read'], '0'), 400, /Choose an expiry between/],
    ['a lifetime above the maximum', createFields('x', ['user:read'], '367'), 400, /^Choose an expiry between 1 and 366 days\.$/],
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
      expect(cellsOf(row).Expires).toBe('never');
      expect(row).toContain('<td class="action"><form');
    });
  });

  describe('a 30-day maximum and a 7-day default', () => {
    const testApp = useTestApp({ deviceAuth: { personalAccessTokens: { maxTtl: 30 * DAY, defaultTtl: 7 * DAY } } });

    it('offers only lifetimes within the maximum, selects the default, and refuses a longer one typed in', async () => {
      const alice = await signedInBrowser(testApp, 'alice');
      expect(expiryOptionsOf((await openPage(alice)).text)).toEqual({ values: ['7', '30'], selected: '7' });
      const refused = await submit(alice, createFields('long', ['user:read'], '60'));
      expect(refused.status).toBe(400);
      expect(errorMessageOf(refused.text)).toBe('Choose an expiry between 1 and 30 days.');
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
      expect(errorMessageOf(refused.text)).toBe('You cannot give a token these scopes: listings:read.');
      expect(await testApp.app.get(PersonalAccessTokensService).list(users.bob as string)).toEqual([]);
    });
  });
});
