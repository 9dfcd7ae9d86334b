import { Global, Injectable, Module } from '@nestjs/common';
import {
  ConfirmView,
  ConsentView,
  DecisionForm,
  DefaultDeviceAuthPages,
  DEVICE_AUTH_MESSAGES_DE,
  DeviceAuthMessages,
  EnterCodeView,
  messagesByLanguage,
  PersonalAccessTokensView,
} from '../../lib';
import { AUTHORIZE_PATH, authorizeQuery, consent, pkce, redirectParameters } from './support/code-flow';
import { csrfTokenOf, decideInBrowser, pollAgain, signedInBrowser, startDeviceAuthorization } from './support/device-flow';
import { useTestApp } from './support/test-app';
import { errorMessageOf, expectPageSecurityHeaders, headingOf, VERIFICATION_PATH } from './support/verification-page';

const TOKENS_PAGE = '/settings/tokens';

/** A service of the host that its renderer injects: proof that Nest creates the renderer with its dependencies. */
@Injectable()
class Branding {
  readonly name = 'Acme Cloud';
  readonly stylesheet = 'https://static.acme.example/brand.css';
}

@Global()
@Module({ providers: [Branding], exports: [Branding] })
class BrandingModule {}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A host's own markup for the code entry, confirm and consent pages; the other pages keep the default look. */
@Injectable()
class AcmePages extends DefaultDeviceAuthPages {
  readonly contentSecurityPolicy = {
    styleSrc: ['https://static.acme.example'],
    imgSrc: ['https://static.acme.example', 'data:'],
    fontSrc: ['https://fonts.acme.example'],
  };

  constructor(private readonly branding: Branding) {
    super();
  }

  override enterCode(view: EnterCodeView): string {
    const form = `<form method="get" action="${escape(view.action)}"><input name="user_code"><button>${escape(view.messages['enterCode.submit'])}</button></form>`;
    return this.acmePage(view.messages, view.messages['enterCode.title'], form);
  }

  override confirm(view: ConfirmView): string {
    return this.acmePage(view.messages, `${view.clientName} · ${view.userCode}`, this.decision(view.messages, view.form));
  }

  override consent(view: ConsentView): string {
    return this.acmePage(view.messages, `${view.clientName} → ${view.returnTo}`, this.decision(view.messages, view.form));
  }

  private acmePage(messages: DeviceAuthMessages, heading: string, body: string): string {
    return `<!doctype html><html lang="${escape(messages.language)}"><head><link rel="stylesheet" href="${this.branding.stylesheet}"></head>
<body class="acme"><header>${escape(this.branding.name)}</header><h1>${escape(heading)}</h1>${body}</body></html>`;
  }

  private decision(messages: DeviceAuthMessages, form: DecisionForm): string {
    const hidden = Object.entries(form.hiddenFields).map(
      ([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`,
    );
    return `<form method="post" action="${escape(form.action)}">${hidden.join('')}
<button name="action" value="approve">${escape(messages['confirm.approve'])}</button><button name="action" value="deny">${escape(messages['confirm.deny'])}</button></form>`;
  }
}

describe('pages: a host renderer class with an injected service', () => {
  const testApp = useTestApp({ imports: [BrandingModule], deviceAuth: { pages: AcmePages } });

  it('renders the code entry page in its own markup, with the injected service', async () => {
    const page = await (await signedInBrowser(testApp, 'alice')).get(VERIFICATION_PATH).expect(200);
    expect(page.text).toContain('<body class="acme"><header>Acme Cloud</header><h1>Connect a device</h1>');
    expect(page.text).toContain('<link rel="stylesheet" href="https://static.acme.example/brand.css">');
    expect(page.text).not.toContain('<main>');
  });

  it('sends its style, image and font sources in the CSP, which still allows no script and no framing', async () => {
    const page = await (await signedInBrowser(testApp, 'alice')).get(VERIFICATION_PATH).expect(200);
    expectPageSecurityHeaders(page);
    const policy = page.headers['content-security-policy'].split('; ');
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContainEqual(expect.stringMatching(/^style-src 'sha256-[A-Za-z0-9+/=]+' https:\/\/static\.acme\.example$/));
    expect(policy).toContain('img-src https://static.acme.example data:');
    expect(policy).toContain('font-src https://fonts.acme.example');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy.some((directive) => directive.startsWith('script-src'))).toBe(false);
  });

  it('approves a device through its own confirm form; the result page it did not override keeps the default look', async () => {
    const start = await startDeviceAuthorization(testApp);
    const alice = await signedInBrowser(testApp, 'alice');
    const confirm = await alice.get(VERIFICATION_PATH).query({ user_code: start.user_code }).expect(200);
    expect(headingOf(confirm.text)).toBe(`Sample CLI · ${start.user_code}`);

    const result = await decideInBrowser(alice, start.user_code, 'approve');
    expect(headingOf(result.text)).toBe('Device connected');
    expect(result.text).toContain('<main>');
    await pollAgain(testApp, start).expect(200);
  });

  it('renders the consent page in its own markup, and its form returns a code to the app', async () => {
    const query = authorizeQuery(pkce().challenge);
    const alice = await signedInBrowser(testApp, 'alice');
    const page = await alice.get(AUTHORIZE_PATH).query(query).expect(200);
    expect(headingOf(page.text)).toBe('Sample CLI → http://127.0.0.1:53682');
    expect(page.text).toContain('<header>Acme Cloud</header>');
    expectPageSecurityHeaders(page);
    expect(page.headers['content-security-policy']).toContain('font-src https://fonts.acme.example');

    expect(redirectParameters(await consent(alice, query, 'approve')).get('code')).toMatch(/^bac_/);
  });
});

describe('pages: a renderer instance', () => {
  const testApp = useTestApp({
    deviceAuth: {
      pages: new (class extends DefaultDeviceAuthPages {
        override personalAccessTokens(view: PersonalAccessTokensView): string {
          return `<!doctype html><h1>Tokens of ${view.userName}: ${view.tokens.length}</h1>`;
        }
      })(),
    },
  });

  it('renders the API tokens page, and the CSP keeps the default policy', async () => {
    const page = await (await signedInBrowser(testApp, 'alice')).get(TOKENS_PAGE).expect(200);
    expect(headingOf(page.text)).toBe('Tokens of Alice: 0');
    expectPageSecurityHeaders(page);
    expect(page.headers['content-security-policy']).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/,
    );
  });
});

describe('pages: a second language by Accept-Language', () => {
  const testApp = useTestApp({ deviceAuth: { messages: messagesByLanguage({ de: DEVICE_AUTH_MESSAGES_DE }) } });

  it('serves German to a browser that prefers it', async () => {
    const page = await (
      await signedInBrowser(testApp, 'alice')
    )
      .get(VERIFICATION_PATH)
      .set('Accept-Language', 'de-DE,de;q=0.9,en;q=0.8')
      .expect(200);
    expect(page.text).toContain('<html lang="de">');
    expect(headingOf(page.text)).toBe('Gerät verbinden');
    expect(page.text).toContain('Angemeldet als Alice');
  });

  it('serves English without Accept-Language, and when English comes first', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    for (const page of [
      await alice.get(VERIFICATION_PATH).expect(200),
      await alice.get(VERIFICATION_PATH).set('Accept-Language', 'en-US,de;q=0.5').expect(200),
    ]) {
      expect(page.text).toContain('<html lang="en">');
      expect(headingOf(page.text)).toBe('Connect a device');
    }
  });

  it('translates the confirm page, its buttons, the invalid-code message and the API tokens page', async () => {
    const start = await startDeviceAuthorization(testApp);
    const alice = await signedInBrowser(testApp, 'alice');
    const confirm = await alice.get(VERIFICATION_PATH).query({ user_code: start.user_code }).set('Accept-Language', 'de').expect(200);
    expect(headingOf(confirm.text)).toBe('Sample CLI den Zugriff auf Ihr Konto erlauben?');
    expect(confirm.text).toMatch(/Angefragt gerade eben von (::ffff:)?127\.0\.0\.1/);
    expect(confirm.text).toContain('value="approve">Erlauben</button>');

    const invalid = await alice.get(VERIFICATION_PATH).query({ user_code: 'ZZZZ-ZZZZ' }).set('Accept-Language', 'de-AT').expect(400);
    expect(errorMessageOf(invalid.text)).toBe(DEVICE_AUTH_MESSAGES_DE['enterCode.invalidCode']);

    const tokens = await alice.get(TOKENS_PAGE).set('Accept-Language', 'de').expect(200);
    expect(headingOf(tokens.text)).toBe('API-Tokens');
    expect(tokens.text).toContain('Sie haben noch keine Tokens.');
  });

  it('words why the API tokens page refused a token in German too', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const page = await alice.get(TOKENS_PAGE).set('Accept-Language', 'de').expect(200);
    const refused = await alice
      .post(TOKENS_PAGE)
      .set('Accept-Language', 'de')
      .type('form')
      .send({ csrf_token: csrfTokenOf(page.text), action: 'create', name: 'forever', scopes: 'user:read', expires_in_days: 'never' })
      .expect(400);
    expect(errorMessageOf(refused.text)).toBe('Wählen Sie, wann das Token abläuft: Tokens ohne Ablaufdatum sind hier nicht erlaubt.');
  });

  it('translates the consent page and the page of a sign-in that cannot continue', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const page = await alice.get(AUTHORIZE_PATH).query(authorizeQuery(pkce().challenge)).set('Accept-Language', 'de').expect(200);
    expect(page.text).toContain('In beiden Fällen kehren Sie zu http://127.0.0.1:53682 zurück.');
    const refused = await alice
      .get(AUTHORIZE_PATH)
      .query(authorizeQuery(pkce().challenge, { client_id: 'nobody' }))
      .set('Accept-Language', 'de')
      .expect(400);
    expect(headingOf(refused.text)).toBe('Anmeldung kann nicht fortgesetzt werden');
  });
});

describe('pages: a partial messages override', () => {
  const testApp = useTestApp({
    deviceAuth: { messages: { 'enterCode.title': 'Link your terminal', 'confirm.heading': ({ appName }) => `Let ${appName} in?` } },
  });

  it('changes the overridden sentences and keeps every other one', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const entry = await alice.get(VERIFICATION_PATH).expect(200);
    expect(headingOf(entry.text)).toBe('Link your terminal');
    expect(entry.text).toContain('Enter the code shown on your device');
    expect(entry.text).toContain('<html lang="en">');

    const confirm = await alice
      .get(VERIFICATION_PATH)
      .query({ user_code: (await startDeviceAuthorization(testApp)).user_code })
      .expect(200);
    expect(confirm.text).toContain('<h1>Let <strong>Sample CLI</strong> in?</h1>');
    expect(confirm.text).toContain('<title>Allow Sample CLI?</title>');
  });
});
