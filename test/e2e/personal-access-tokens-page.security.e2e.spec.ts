import type TestAgent from 'supertest/lib/agent';
import { PersonalAccessTokenView } from '../../lib';
import { COPY_SCRIPT_HTML } from '../../lib/pages/html';
import { callMe, csrfTokenOf, signedInBrowser } from './support/device-flow';
import { listTokens } from './support/personal-access-tokens';
import {
  createFields,
  createOnPage,
  encode,
  Fields,
  follow,
  newTokenOf,
  openPage,
  PAGE,
  submit,
} from './support/personal-access-tokens-page';
import { useTestApp } from './support/test-app';
import { errorMessageOf, expectPageSecurityHeaders } from './support/verification-page';

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
    const before = (await listTokens(alice)).length;
    const fields = await csrf(alice, bob);
    const response = await alice
      .post(PAGE)
      .type('form')
      .send(encode([...fields, ...createFields('forged', ['user:read'])]));
    expect(response.status).toBe(403);
    expectPageSecurityHeaders(response);
    expect(newTokenOf(response.text)).toBeNull();
    expect(errorMessageOf(response.text)).toBe('This form has expired. Reload the page and try again.');
    expect(await listTokens(alice)).toHaveLength(before);
  });

  it.each<[string, (alice: TestAgent, bob: TestAgent) => Promise<Fields>]>([
    ['missing', async () => []],
    ['wrong', async () => [['csrf_token', '0'.repeat(64)]]],
    ['another user’s', async (_, bob) => [['csrf_token', csrfTokenOf((await openPage(bob)).text)]]],
  ])('refuses a revoke with a %s token: 403, and the token keeps working', async (_, csrf) => {
    const alice = await signedInBrowser(testApp, 'alice');
    const bob = await signedInBrowser(testApp, 'bob');
    const token = await createOnPage(alice, 'kept', ['user:read']);
    const view = (await listTokens(alice)).find((listed) => listed.hint === `bpat_…${token.slice(-4)}`) as PersonalAccessTokenView;
    const fields = await csrf(alice, bob);
    const response = await alice
      .post(PAGE)
      .type('form')
      .send(encode([...fields, ['action', 'revoke'], ['token_id', view.id]]));
    expect(response.status).toBe(403);
    await callMe(testApp, token).expect(200);
    expect((await listTokens(alice)).find((listed) => listed.id === view.id)?.status).toBe('active');
  });
});

describe('API tokens page: escaping', () => {
  const testApp = useTestApp();

  it('escapes the token name in the “new token” heading and in the list', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const name = `<script>alert("x")</script><img src=x onerror='y'>&amp;`;
    const response = await follow(alice, await submit(alice, createFields(name, ['user:read'])));
    const escaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;&amp;amp;';
    const [{ id }] = await listTokens(alice);
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
    expect((await listTokens(alice))[0].name).toBe(name);
  });
});
