import { callMe, signedInBrowser } from './support/device-flow';
import { listTokens } from './support/personal-access-tokens';
import {
  createOnPage,
  follow,
  noticeOf,
  openPage,
  PAGE,
  revokeOnPage,
  rowsOf,
  submit,
  viewOf,
} from './support/personal-access-tokens-page';
import { useTestApp } from './support/test-app';
import { errorMessageOf, expectPageSecurityHeaders, headingOf } from './support/verification-page';

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
    const [bobsView] = await listTokens(bob);
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
    expect((await listTokens(bob))[0].status).toBe('active');
    // Nor does alice's page list it.
    expect((await openPage(alice)).text).not.toContain(bobsView.id);
  });
});
