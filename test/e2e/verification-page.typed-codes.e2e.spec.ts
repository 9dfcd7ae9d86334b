import type TestAgent from 'supertest/lib/agent';
import { csrfTokenOf, decideInBrowser, DeviceStart, pollAgain, signedInBrowser, startDeviceAuthorization } from './support/device-flow';
import { useTestApp } from './support/test-app';
import { assignUserCode, errorMessageOf, expectStillPending, headingOf, openCode, pathOf, submit } from './support/verification-page';

// Wrong user codes are counted per user and per IP, and these tests all come from one address:
// each describe therefore boots an app of its own and stays under 10 wrong guesses.

describe('verification page: how a typed code is read', () => {
  const testApp = useTestApp();

  it.each<[string, (code: string) => string]>([
    ['in lower case', (code) => code.toLowerCase()],
    ['without the dash', (code) => code.replace('-', '')],
    ['with a space instead of the dash', (code) => code.replace('-', ' ')],
    ['with spaces around and inside it', (code) => `  ${code.slice(0, 2)} ${code.slice(2, 7)} ${code.slice(7)}  `],
    ['in lower case, without the dash, with spaces', (code) => ` ${code.toLowerCase().replace('-', '  ')} `],
    ['with an en dash (U+2013)', (code) => code.replace('-', '\u2013')],
    ['with an em dash (U+2014)', (code) => code.replace('-', '\u2014')],
    ['with a hyphen (U+2010)', (code) => code.replace('-', '\u2010')],
    ['with a non-breaking hyphen (U+2011)', (code) => code.replace('-', '\u2011')],
    ['with a minus sign (U+2212)', (code) => code.replace('-', '\u2212')],
    ['with a dot', (code) => code.replace('-', '.')],
    ['with a no-break space (U+00A0)', (code) => code.replace('-', '\u00A0')],
    ['with an en dash between spaces', (code) => code.replace('-', ' \u2013 ')],
  ])('finds the request when the code is typed %s', async (_, typed) => {
    const start = await startDeviceAuthorization(testApp);
    const page = await openCode(await signedInBrowser(testApp, 'alice'), typed(start.user_code)).expect(200);
    expect(headingOf(page.text)).toBe('Allow Sample CLI to access your account?');
    expect(page.text).toContain(`<p class="code">${start.user_code}</p>`);
    expect(page.text).toContain(`<input type="hidden" name="user_code" value="${start.user_code}">`);
  });

  it('keeps what was typed in the field when the code is refused, to correct rather than retype', async () => {
    const page = await openCode(await signedInBrowser(testApp, 'alice'), 'bcdf_ghjk').expect(400);
    expect(errorMessageOf(page.text)).toMatch(/not valid/);
    expect(page.text).toContain('id="user_code" name="user_code" value="bcdf_ghjk"');
  });
});

describe('verification page: look-alike characters in a typed code', () => {
  const testApp = useTestApp();
  // A code with "SS" and "C", so that ß, ſ and the others would match it if the page folded them.
  const CODE = 'SSBC-DFGH';
  let start: DeviceStart;
  let alice: TestAgent;
  let genericMessage: string | null;

  beforeAll(async () => {
    start = await startDeviceAuthorization(testApp);
    await assignUserCode(testApp, start.device_code, CODE);
    alice = await signedInBrowser(testApp, 'alice');
    genericMessage = errorMessageOf((await openCode(alice, 'ZZZZ-ZZZZ').expect(400)).text);
  });

  it('finds the request when its code is typed in plain ASCII', async () => {
    const page = await openCode(alice, 'ssbc dfgh').expect(200);
    expect(page.text).toContain(`<p class="code">${CODE}</p>`);
  });

  it.each([
    ['full-width letters', 'ＳＳＢＣ-ＤＦＧＨ'],
    ['a single full-width letter', 'SSBC-DFGＨ'],
    ['ſ (long s, upper-cases to S)', 'ſſbc-dfgh'],
    ['ß (upper-cases to SS)', 'ßBC-DFGH'],
    ['a zero-width space (U+200B)', 'SSBC\u200B-DFGH'],
    ['a right-to-left mark (U+200F)', '\u200FSSBC-DFGH'],
    ['a zero-width joiner between the halves (U+200D)', 'SSBC\u200DDFGH'],
    ['a full-width hyphen between full-width halves', 'ＳＳＢＣ－ＤＦＧＨ'],
    ['a Cyrillic С in place of C', 'SSB\u0421-DFGH'],
  ])('refuses %s with the generic invalid-code message', async (_, typed) => {
    const page = await openCode(alice, typed).expect(400);
    expect(genericMessage).toMatch(/not valid/);
    expect(errorMessageOf(page.text)).toBe(genericMessage);
    expect(page.text).not.toContain('csrf_token');
  });

  it('leaves the request pending after all those attempts', async () => {
    await expectStillPending(testApp, start);
  });
});

describe('verification page: codes that cannot be used', () => {
  const testApp = useTestApp();
  const NOT_VALID = 'That code is not valid. Check the code on your device, or start again there to get a new one.';

  it('answers unknown codes and codes someone else used alike: 400, one generic message, the code kept in the field', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const bob = await signedInBrowser(testApp, 'bob');
    // team-cli is a partner app: bob may decide its requests too.
    const approvedByBob = await startDeviceAuthorization(testApp, 'team-cli');
    await decideInBrowser(bob, approvedByBob.user_code, 'approve');
    const deniedByBob = await startDeviceAuthorization(testApp, 'team-cli');
    await decideInBrowser(bob, deniedByBob.user_code, 'deny');
    const exchangedByBob = await startDeviceAuthorization(testApp, 'team-cli');
    await decideInBrowser(bob, exchangedByBob.user_code, 'approve');
    await pollAgain(testApp, exchangedByBob, 'team-cli').expect(200);

    for (const code of ['ZZZZ-ZZZZ', approvedByBob.user_code, deniedByBob.user_code, exchangedByBob.user_code]) {
      const page = await openCode(alice, code).expect(400);
      expect([code, headingOf(page.text), errorMessageOf(page.text)]).toEqual([code, 'Connect a device', NOT_VALID]);
      expect(page.text).toContain(`name="user_code" value="${code}"`);
      expect(page.text).toContain('<a href="/">Go to the home page</a>');
    }
  });

  it('says that an expired code expired, on opening it and on Approve, and changes nothing', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const start = await startDeviceAuthorization(testApp);
    const confirm = await openCode(alice, start.user_code).expect(200);
    testApp.clock.advance(start.expires_in);

    const opened = await openCode(alice, start.user_code).expect(400);
    expect(errorMessageOf(opened.text)).toBe('That code has expired. Start again on your device to get a new one.');
    const approved = await submit(alice, { user_code: start.user_code, csrf_token: csrfTokenOf(confirm.text), action: 'approve' }).expect(
      400,
    );
    expect(errorMessageOf(approved.text)).toBe('That code has expired. Start again on your device to get a new one.');
    expect((await pollAgain(testApp, start).expect(400)).body.error).toBe('expired_token');
  });

  it.each<[string, 'approve' | 'deny', string, string]>([
    ['approved', 'approve', 'You already approved this request', 'Sample CLI has access to your account.'],
    ['denied', 'deny', 'You already denied this request', 'Sample CLI was not given access.'],
  ])('shows the user who %s a code that answer again: Back, a reload, the link again, a second click', async (_, action, heading, text) => {
    const alice = await signedInBrowser(testApp, 'alice');
    const start = await startDeviceAuthorization(testApp);
    const confirm = await openCode(alice, start.user_code).expect(200);
    const form = { user_code: start.user_code, csrf_token: csrfTokenOf(confirm.text), action };
    await submit(alice, form).expect(200);

    for (const again of [
      await openCode(alice, start.user_code),
      await alice.get(pathOf(start.verification_uri_complete)),
      await submit(alice, form),
    ]) {
      expect(again.status).toBe(200);
      expect(headingOf(again.text)).toBe(heading);
      expect(again.text).toContain(text.replace('Sample CLI', '<strong>Sample CLI</strong>'));
    }
    // Still so once the code has expired, and once the CLI has its tokens.
    testApp.clock.advance(start.expires_in);
    expect(headingOf((await openCode(alice, start.user_code).expect(200)).text)).toBe(heading);
  });

  it('shows an approval the CLI already exchanged for tokens as approved', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const start = await startDeviceAuthorization(testApp);
    await decideInBrowser(alice, start.user_code, 'approve');
    await pollAgain(testApp, start).expect(200);
    expect(headingOf((await openCode(alice, start.user_code).expect(200)).text)).toBe('You already approved this request');
  });
});
