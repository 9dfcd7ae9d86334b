import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { ExpiredRowsCleaner, PersonalAccessToken } from '../../lib';
import { callMe, csrfTokenOf, signedInBrowser } from './support/device-flow';
import { listTokens } from './support/personal-access-tokens';
import {
  countNamed,
  createFields,
  createOnPage,
  encode,
  Fields,
  follow,
  newTokenOf,
  noticeOf,
  openPage,
  PAGE,
} from './support/personal-access-tokens-page';
import { useTestApp } from './support/test-app';

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
    const [view] = await listTokens(alice);
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
