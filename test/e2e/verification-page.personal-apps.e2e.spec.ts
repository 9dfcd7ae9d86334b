import request from 'supertest';
import {
  csrfTokenOf,
  decideInBrowser,
  PASSWORDS,
  pollAgain,
  signedInBrowser,
  startDeviceAuthorization,
  submitLoginForm,
} from './support/device-flow';
import { useTestApp } from './support/test-app';
import { expectPageSecurityHeaders, expectStillPending, headingOf, openCode, submit } from './support/verification-page';

// Wrong user codes are counted per user and per IP, and these tests all come from one address:
// each describe therefore boots an app of its own and stays under 10 wrong guesses.

describe('verification page: personal and partner apps', () => {
  const testApp = useTestApp();

  it('refuses bob on alice’s personal app (403, saying so), leaves the request pending, and alice can still approve it', async () => {
    const start = await startDeviceAuthorization(testApp, 'sample-cli');
    const alice = await signedInBrowser(testApp, 'alice');
    const bob = await signedInBrowser(testApp, 'bob');

    const bobsView = await openCode(bob, start.user_code).expect(403);
    expectPageSecurityHeaders(bobsView);
    expect(headingOf(bobsView.text)).toBe('Wrong account');
    expect(bobsView.text).toContain(
      'You are signed in as <strong>Bob</strong>, but <strong>Sample CLI</strong> is a personal app bound to another account.',
    );
    expect(bobsView.text).not.toContain('csrf_token');
    // The sample host's logoutUrl: a POST that comes back to the same code once bob has signed out.
    expect(bobsView.text).toContain(
      `<form method="post" action="/logout?next=${encodeURIComponent(`/oauth/device?user_code=${start.user_code}`)}">`,
    );
    expect(bobsView.text).toContain('<button type="submit">Sign out and use another account</button>');
    expect(bobsView.text).toContain('<a href="/">Go to the home page</a>');

    // Even with a form token lifted from alice's page, bob's Approve is refused with the same explanation.
    const alicesToken = csrfTokenOf((await openCode(alice, start.user_code).expect(200)).text);
    const bobsApproval = await submit(bob, { user_code: start.user_code, csrf_token: alicesToken, action: 'approve' }).expect(403);
    expect(headingOf(bobsApproval.text)).toBe('Wrong account');
    await expectStillPending(testApp, start);

    await submit(alice, { user_code: start.user_code, csrf_token: alicesToken, action: 'approve' }).expect(200);
    const tokens = await pollAgain(testApp, start).expect(200);
    const me = await request(testApp.http).get('/api/v1/me').set('Authorization', `Bearer ${tokens.body.access_token}`).expect(200);
    expect(me.body.username).toBe('alice');
  });

  it('signs bob out through the sample’s logoutUrl and brings the next sign-in back to the same code, where alice approves', async () => {
    const start = await startDeviceAuthorization(testApp, 'sample-cli');
    const browser = await signedInBrowser(testApp, 'bob');
    const bobsView = await openCode(browser, start.user_code).expect(403);
    const signOut = /<form method="post" action="([^"]+)">/.exec(bobsView.text)?.[1] ?? '';

    const signedOut = await browser.post(signOut.replace(/&amp;/g, '&')).type('form').send({}).expect(303);
    expect(signedOut.headers.location).toBe(`/oauth/device?user_code=${start.user_code}`);
    const toLogin = await browser.get(signedOut.headers.location).expect(303);
    expect(new URL(toLogin.headers.location, 'http://localhost').searchParams.get('next')).toBe(
      `/oauth/device?user_code=${start.user_code}`,
    );

    const signedIn = await submitLoginForm(browser, {
      username: 'alice',
      password: PASSWORDS.alice,
      next: `/oauth/device?user_code=${start.user_code}`,
    });
    expect(signedIn.status).toBe(303);
    const confirm = await browser.get(signedIn.headers.location).expect(200);
    expect(headingOf(confirm.text)).toBe('Allow Sample CLI to access your account?');
    expect(confirm.text).toContain('Signed in as Alice');
  });

  it('lets bob approve a partner app (team-cli), and the token speaks for bob', async () => {
    const start = await startDeviceAuthorization(testApp, 'team-cli');
    const result = await decideInBrowser(await signedInBrowser(testApp, 'bob'), start.user_code, 'approve');
    expect(headingOf(result.text)).toBe('Device connected');
    const tokens = await pollAgain(testApp, start, 'team-cli').expect(200);
    const me = await request(testApp.http).get('/api/v1/me').set('Authorization', `Bearer ${tokens.body.access_token}`).expect(200);
    expect(me.body).toMatchObject({ username: 'bob', clientId: 'team-cli' });
  });
});
