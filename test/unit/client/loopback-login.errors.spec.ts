import {
  AccessDeniedError,
  DeviceAuthClientError,
  LoginCancelledError,
  LoginTimeoutError,
  OAuthResponseError,
  ServerUnreachableError,
} from '../../../lib/client';
import { answerTo, browse, connectTo, echoOf, Page, startFakeServer, useFakeServer } from '../support/loopback-login';

describe('loopbackLogin', () => {
  const fake = useFakeServer();
  const { login } = fake;

  it('a server that is down: ServerUnreachableError naming it, and no listener left', async () => {
    const { issuer } = fake.server;
    await fake.server.close();
    const { error, shown } = await login(jest.fn());
    expect(error).toBeInstanceOf(ServerUnreachableError);
    expect((error as Error).message).toBe(`Cannot reach ${issuer}: is the server running?`);
    expect(shown).toEqual([]);
    fake.server = await startFakeServer(); // for afterEach
  });

  it('a denial in the browser rejects with AccessDeniedError, says so in the tab, and redeems nothing', async () => {
    const pages: Page[] = [];
    const { error, port } = await login(async (url) => {
      pages.push(await browse(answerTo(url, { error: 'access_denied', ...echoOf(fake.server, url) })));
    });
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(pages).toEqual([{ status: 400, cacheControl: 'no-store', text: expect.stringContaining('The login was denied') }]);
    expect(fake.server.tokenForms).toEqual([]);
    expect(await connectTo(port as number)).toBe('ECONNREFUSED');
  });

  it('another error in the answer rejects with OAuthResponseError carrying error and error_description, never shown in the page', async () => {
    const pages: Page[] = [];
    const { error } = await login(async (url) => {
      const fields = { error: 'invalid_scope', error_description: '<script>alert(1)</script> is unknown', ...echoOf(fake.server, url) };
      pages.push(await browse(answerTo(url, fields)));
    });
    expect(error).toBeInstanceOf(OAuthResponseError);
    expect(error).toMatchObject({ error: 'invalid_scope', description: '<script>alert(1)</script> is unknown', status: undefined });
    expect(pages[0].status).toBe(400);
    expect(pages[0].text).toContain('Login failed');
    expect(pages[0].text).not.toContain('script');
  });

  describe('the iss parameter (RFC 9207)', () => {
    it('an answer naming another issuer is refused (a mix-up attack), error or not', async () => {
      for (const fields of [{ code: 'the-code' }, { error: 'access_denied' }] as Record<string, string>[]) {
        const { error } = await login((url) =>
          browse(answerTo(url, { ...fields, ...echoOf(fake.server, url), iss: 'https://attacker.example' })),
        );
        expect(error).toBeInstanceOf(DeviceAuthClientError);
        expect((error as Error).message).toBe(
          `The authorization response names issuer https://attacker.example, not ${fake.server.issuer}`,
        );
      }
      expect(fake.server.tokenForms).toEqual([]);
    });

    it('an answer without iss is refused when the metadata promises it, and taken when it does not', async () => {
      const withoutIss = (url: string) => browse(answerTo(url, { code: 'the-code', state: echoOf(fake.server, url).state }));
      const refused = await login(withoutIss);
      expect((refused.error as Error).message).toBe(`The authorization response has no iss, though ${fake.server.issuer} promises one`);

      fake.server.metadata = { authorization_response_iss_parameter_supported: undefined };
      const taken = await login(withoutIss);
      expect(taken.result?.accessToken).toBe('eyJ.access');
    });
  });

  it('a code the token endpoint refuses rejects with its OAuthResponseError, and the listener is closed', async () => {
    fake.server.token = { status: 400, body: { error: 'invalid_grant', error_description: 'The code has expired' } };
    const { error, port } = await login((url) => browse(answerTo(url, { code: 'the-code', ...echoOf(fake.server, url) })));
    expect(error).toBeInstanceOf(OAuthResponseError);
    expect(error).toMatchObject({ error: 'invalid_grant', description: 'The code has expired', status: 400 });
    expect(await connectTo(port as number)).toBe('ECONNREFUSED');
  });

  it('a server without authorization_endpoint is a clear error, before anything listens or a browser opens', async () => {
    fake.server.metadata = { authorization_endpoint: undefined };
    const browser = jest.fn();
    const { error, shown } = await login(browser);
    expect(error).toBeInstanceOf(DeviceAuthClientError);
    expect((error as Error).message).toBe(
      'The server does not offer the authorization code grant (its metadata has no authorization_endpoint)',
    );
    expect(shown).toEqual([]);
    expect(browser).not.toHaveBeenCalled();
  });

  it('times out with LoginTimeoutError when the browser never comes back, and stops listening', async () => {
    const { error, port } = await login(() => undefined, { timeoutMs: 300 });
    expect(error).toBeInstanceOf(LoginTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 300 });
    expect(await connectTo(port as number)).toBe('ECONNREFUSED');
  });

  describe('cancelled through its signal', () => {
    it('while waiting for the browser: LoginCancelledError, and the listener is closed', async () => {
      const controller = new AbortController();
      const { error, port } = await login(() => controller.abort(), { signal: controller.signal });
      expect(error).toBeInstanceOf(LoginCancelledError);
      expect(await connectTo(port as number)).toBe('ECONNREFUSED');
      expect(fake.server.tokenForms).toEqual([]);
    });

    it('during the token request, with a fetch of its own that reports the abort as its AbortError: LoginCancelledError', async () => {
      const controller = new AbortController();
      const fetchOfItsOwn: typeof fetch = async (input, init) => {
        if (!String(input).endsWith('/o/token/')) return fetch(input, init);
        const aborted = new Promise<never>((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(new DOMException('This operation was aborted', 'AbortError'))),
        );
        controller.abort(); // Ctrl-C while the code is being redeemed
        return aborted;
      };
      const { error } = await login((url) => browse(answerTo(url, { code: 'the-code', ...echoOf(fake.server, url) })), {
        signal: controller.signal,
        fetch: fetchOfItsOwn,
      });
      expect(error).toBeInstanceOf(LoginCancelledError);
    });

    it('before it starts: LoginCancelledError without a request or a listener', async () => {
      const { error, shown } = await login(jest.fn(), { signal: AbortSignal.abort() });
      expect(error).toBeInstanceOf(LoginCancelledError);
      expect(fake.server.requests).toEqual([]);
      expect(shown).toEqual([]);
    });
  });
});
