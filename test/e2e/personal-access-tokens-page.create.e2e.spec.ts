import request from 'supertest';
import { DEVICE_AUTH_MESSAGES_DE, messagesByLanguage } from '../../lib';
import { callMe, csrfTokenOf, signedInBrowser } from './support/device-flow';
import { API, DAY, listTokens } from './support/personal-access-tokens';
import {
  cellsOf,
  createFields,
  createOnPage,
  day,
  encode,
  expiryOptionsOf,
  follow,
  newTokenOf,
  openPage,
  PAGE,
  rowsOf,
  submit,
} from './support/personal-access-tokens-page';
import { useTestApp } from './support/test-app';
import { errorMessageOf, expectPageSecurityHeaders } from './support/verification-page';

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
    const [kept] = await listTokens(alice);
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
    expect((await listTokens(alice)).map((view) => view.name)).toEqual(['kept']);
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
    const before = (await listTokens(alice)).length;
    const refused = await submit(alice, createFields('forever', ['user:read'], 'never'));
    expect(refused.status).toBe(400);
    expect(errorMessageOf(refused.text)).toBe('Choose when the token expires: tokens that never expire are not allowed here.');
    expect(newTokenOf(refused.text)).toBeNull();
    expect(await listTokens(alice)).toHaveLength(before);
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
    expect(await listTokens(alice)).toEqual([]);
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
