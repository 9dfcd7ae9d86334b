import { csrfTokenOf, decideInBrowser, pollAgain, signedInBrowser, startDeviceAuthorization } from './support/device-flow';
import { useTestApp } from './support/test-app';
import { expectStillPending, headingOf, openCode, pathOf, submit } from './support/verification-page';

// Wrong user codes are counted per user and per IP, and these tests all come from one address:
// each describe therefore boots an app of its own and stays under 10 wrong guesses.

describe('verification page: approving and denying', () => {
  const testApp = useTestApp();

  it('opening verification_uri_complete only pre-fills the code: nothing is approved without the click', async () => {
    const start = await startDeviceAuthorization(testApp);
    const alice = await signedInBrowser(testApp, 'alice');
    expect(pathOf(start.verification_uri_complete)).toBe(`/oauth/device?user_code=${start.user_code}`);

    const page = await alice.get(pathOf(start.verification_uri_complete)).expect(200);
    expect(page.text).toContain(`<input type="hidden" name="user_code" value="${start.user_code}">`);
    expect(page.text).toContain('<form method="post" action="/oauth/device">');
    await alice.get(pathOf(start.verification_uri_complete)).expect(200);

    await expectStillPending(testApp, start);
  });

  it('Approve lets the CLI’s next poll get tokens', async () => {
    const start = await startDeviceAuthorization(testApp);
    const result = await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'approve');
    expect(headingOf(result.text)).toBe('Device connected');
    const poll = await pollAgain(testApp, start).expect(200);
    expect(poll.body.token_type).toBe('Bearer');
  });

  it('Deny makes the CLI’s next poll answer access_denied', async () => {
    const start = await startDeviceAuthorization(testApp);
    const result = await decideInBrowser(await signedInBrowser(testApp, 'alice'), start.user_code, 'deny');
    expect(headingOf(result.text)).toBe('Request denied');
    const poll = await pollAgain(testApp, start).expect(400);
    expect(poll.body.error).toBe('access_denied');
  });
});

describe('verification page: the CSRF token of approve and deny', () => {
  const testApp = useTestApp();

  it.each<[string, 'approve' | 'deny', (realToken: string) => string | undefined]>([
    ['an approval without a csrf_token', 'approve', () => undefined],
    ['an approval with an empty csrf_token', 'approve', () => ''],
    ['an approval with a made-up csrf_token', 'approve', () => 'f'.repeat(64)],
    [
      'an approval with the right token altered in one character',
      'approve',
      (real) => real.slice(0, -1) + (real.endsWith('0') ? '1' : '0'),
    ],
    ['an approval with the right token plus one character', 'approve', (real) => `${real}0`],
    ['a denial without a csrf_token', 'deny', () => undefined],
  ])('refuses %s (403) and leaves the request unchanged', async (_, action, csrfToken) => {
    const start = await startDeviceAuthorization(testApp);
    const alice = await signedInBrowser(testApp, 'alice');
    const realToken = csrfTokenOf((await openCode(alice, start.user_code).expect(200)).text);

    const refused = await submit(alice, { user_code: start.user_code, csrf_token: csrfToken(realToken), action }).expect(403);
    expect(headingOf(refused.text)).toBe('Request expired');
    await expectStillPending(testApp, start);

    // The same form with its own token still works, so only the token was wrong.
    await submit(alice, { user_code: start.user_code, csrf_token: realToken, action: 'approve' }).expect(200);
    await pollAgain(testApp, start).expect(200);
  });

  it('refuses the token of another request', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const first = await startDeviceAuthorization(testApp);
    const second = await startDeviceAuthorization(testApp);
    const firstToken = csrfTokenOf((await openCode(alice, first.user_code).expect(200)).text);
    await openCode(alice, second.user_code).expect(200);

    await submit(alice, { user_code: second.user_code, csrf_token: firstToken, action: 'approve' }).expect(403);
    await expectStillPending(testApp, second);
    await expectStillPending(testApp, first);
  });

  it('refuses the token another user got for the same request', async () => {
    // team-cli is a partner app, so both alice and bob may decide its requests.
    const start = await startDeviceAuthorization(testApp, 'team-cli');
    const alice = await signedInBrowser(testApp, 'alice');
    const bob = await signedInBrowser(testApp, 'bob');
    const bobsToken = csrfTokenOf((await openCode(bob, start.user_code).expect(200)).text);
    const alicesToken = csrfTokenOf((await openCode(alice, start.user_code).expect(200)).text);
    expect(alicesToken).not.toBe(bobsToken);

    await submit(alice, { user_code: start.user_code, csrf_token: bobsToken, action: 'approve' }).expect(403);
    await submit(bob, { user_code: start.user_code, csrf_token: alicesToken, action: 'approve' }).expect(403);
    await expectStillPending(testApp, start, 'team-cli');
  });
});
