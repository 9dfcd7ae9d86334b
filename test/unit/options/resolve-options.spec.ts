import { DefaultDeviceAuthPages, DEVICE_AUTH_MESSAGES_EN, DeviceAuthModuleOptions } from '../../../lib';
import { resolveOptions } from '../../../lib/resolve-options';

const valid: DeviceAuthModuleOptions = { issuer: 'https://api.example.com', resolveUser: () => null };

describe('options validation at start-up', () => {
  it('applies the documented defaults', () => {
    const options = resolveOptions(valid);
    expect(options.paths).toEqual({
      deviceAuthorization: '/o/device-authorization/',
      token: '/o/token/',
      verification: '/oauth/device',
      authorization: '/o/authorize/',
      userinfo: '/o/userinfo/',
      revocation: '/o/revoke/',
      introspection: '/o/introspect/',
      personalAccessTokens: '/o/personal-access-tokens',
      personalAccessTokensPage: '/settings/tokens',
      secretScanning: '/o/secret-scanning/',
      registration: '/o/register/',
    });
    expect(options.personalAccessTokens).toEqual({
      enabled: true,
      prefix: 'bpat_',
      defaultTtl: 90 * 24 * 3600,
      maxTtl: 366 * 24 * 3600,
      allowNoExpiry: false,
      cacheSeconds: 5,
      expiryWarningDays: [7, 1],
      scopes: [],
    });
    expect(options.deviceCode).toMatchObject({
      ttl: 900,
      interval: 5,
      userCodeLength: 8,
      userCodeMask: 'XXXX-XXXX',
      userCodeCharset: 'BCDFGHJKLMNPQRSTVWXZ',
    });
    expect(options.accessToken).toMatchObject({ ttl: 3600, audience: 'https://api.example.com', revocationCacheSeconds: 5 });
    expect(options.refreshToken).toEqual({
      ttl: 30 * 24 * 3600,
      maxLifetime: 90 * 24 * 3600,
      reuseGraceSeconds: 30,
      requireOfflineAccess: false,
    });
    expect(options.authorizationCode).toEqual({ ttl: 60, skipConsentWhenApproved: false });
    expect(options.grantTypes).toEqual([
      'urn:ietf:params:oauth:grant-type:device_code',
      'refresh_token',
      'client_credentials',
      'authorization_code',
    ]);
    expect(options.cleanup).toEqual({ intervalSeconds: 600, batchSize: 500 });
    expect(options.rateLimits).toEqual({
      wrongUserCodes: { limit: 10, windowSeconds: 900 },
      wrongUserCodesPerIp: { limit: 100, windowSeconds: 900 },
      wrongClientSecrets: { limit: 10, windowSeconds: 300 },
      deviceAuthorizationsPerIp: { limit: 300, windowSeconds: 60 },
      tokenRequestsPerIp: { limit: 1200, windowSeconds: 60 },
      tokenRequestsPerClient: { limit: 12000, windowSeconds: 60 },
      personalAccessTokenRequests: { limit: 600, windowSeconds: 60 },
      registrationsPerIp: { limit: 20, windowSeconds: 3600 },
      metadataDocumentSignInsPerIp: { limit: 60, windowSeconds: 60 },
      storage: undefined,
    });
    expect(options.dynamicRegistration).toBeNull();
    expect(options.redis).toBeNull();
    expect(options.clientIdMetadataDocuments).toBeNull();
    expect(options.loginUrl('/oauth/device?user_code=A')).toBe('/login?next=%2Foauth%2Fdevice%3Fuser_code%3DA');
    expect(options.logoutUrl).toBeNull();
    expect(options.homeUrl).toBe('/');
    expect(typeof options.clock.now()).toBe('number');
  });

  it('refuses an authorization code that would live past ten minutes (RFC 6749 §4.1.2)', () => {
    expect(() => resolveOptions({ ...valid, authorizationCode: { ttl: 601 } })).toThrow(
      /authorizationCode.ttl" must be at most 600 seconds/,
    );
    expect(resolveOptions({ ...valid, authorizationCode: { ttl: 600 } }).authorizationCode.ttl).toBe(600);
  });

  it('renders with DefaultDeviceAuthPages in English unless told otherwise', () => {
    const options = resolveOptions(valid);
    expect(options.pages).toBe(DefaultDeviceAuthPages);
    expect(options.messages(undefined)).toEqual(DEVICE_AUTH_MESSAGES_EN);
    expect(options.messages('de')).toEqual(DEVICE_AUTH_MESSAGES_EN);
  });

  it('puts a partial messages table over the English defaults', () => {
    const messages = resolveOptions({ ...valid, messages: { 'enterCode.title': 'Link your terminal' } }).messages(undefined);
    expect(messages).toEqual({ ...DEVICE_AUTH_MESSAGES_EN, 'enterCode.title': 'Link your terminal' });
  });

  it('turns PATs off with personalAccessTokens: false, and names grantTypes when one is unknown', () => {
    expect(resolveOptions({ ...valid, personalAccessTokens: false }).personalAccessTokens.enabled).toBe(false);
    expect(() => resolveOptions({ ...valid, grantTypes: ['password' as never] })).toThrow(/"grantTypes" must list grant types among/);
  });

  it('offers every scope but the sign-in ones (OIDC Core §5.4, §11) on PATs, unless personalAccessTokens.scopes lists them', () => {
    const scopes = {
      'user:read': 'Read your profile',
      openid: 'Sign in',
      profile: 'Your name',
      email: 'Your email',
      address: 'Your address',
      phone: 'Your phone number',
      offline_access: 'Stay signed in',
      'listings:read': 'Read your listings',
    };
    expect(resolveOptions({ ...valid, scopes }).personalAccessTokens.scopes).toEqual(['user:read', 'listings:read']);
    expect(
      resolveOptions({ ...valid, scopes, personalAccessTokens: { scopes: ['openid', 'user:read'] } }).personalAccessTokens.scopes,
    ).toEqual(['openid', 'user:read']);
  });

  it('keeps scope descriptions given as one text or as texts by language', () => {
    const scopes = {
      'user:read': { en: 'Read your profile', de: 'Ihr Profil lesen', 'pt-BR': 'Ler seu perfil' },
      'listings:read': 'Read your listings',
    };
    const resolved = resolveOptions({ ...valid, scopes }).scopes;
    expect(resolved).toEqual(scopes);
    expect(resolved['user:read']).not.toBe(scopes['user:read']);
  });

  it('opens dynamic registration to every scope with true, and keeps an initial access token', () => {
    const scopes = { 'user:read': 'Read your profile', 'listings:read': 'Read your listings' };
    expect(resolveOptions({ ...valid, scopes, dynamicRegistration: true }).dynamicRegistration).toEqual({
      initialAccessToken: undefined,
      scopes: ['user:read', 'listings:read'],
    });
    const initialAccessToken = 'a-token-of-sixteen+';
    expect(resolveOptions({ ...valid, scopes, dynamicRegistration: { initialAccessToken } }).dynamicRegistration).toMatchObject({
      initialAccessToken,
    });
  });

  it('turns client ID metadata documents on with true, with the defaults and every configured scope', () => {
    const scopes = { 'user:read': 'Read your profile', 'listings:read': 'Read your listings' };
    expect(resolveOptions({ ...valid, scopes, clientIdMetadataDocuments: true }).clientIdMetadataDocuments).toEqual({
      maxBytes: 5120,
      timeoutMs: 5000,
      allowPrivateAddresses: false,
      scopes: ['user:read', 'listings:read'],
      minCacheSeconds: 60,
      maxCacheSeconds: 3600,
    });
    const narrowed = resolveOptions({ ...valid, scopes, clientIdMetadataDocuments: { scopes: ['user:read'], timeoutMs: 200 } });
    expect(narrowed.clientIdMetadataDocuments).toMatchObject({ scopes: ['user:read'], timeoutMs: 200, maxBytes: 5120 });
  });

  it('bounds the Redis connections by default, and takes the bounds a host sets', () => {
    expect(resolveOptions({ ...valid, redis: { url: 'redis://127.0.0.1:6379' } }).redis).toEqual({
      url: 'redis://127.0.0.1:6379',
      keyPrefix: 'nest-device-auth:',
      connectTimeoutMs: 1000,
      commandTimeoutMs: 500,
    });
    const bounded = resolveOptions({ ...valid, redis: { url: 'redis://127.0.0.1:6379', connectTimeoutMs: 250, commandTimeoutMs: 100 } });
    expect(bounded.redis).toMatchObject({ connectTimeoutMs: 250, commandTimeoutMs: 100 });
  });

  it('drops a trailing slash from the issuer', () => {
    expect(resolveOptions({ ...valid, issuer: 'https://api.example.com/' }).issuer).toBe('https://api.example.com');
  });

  it.each<[string, Partial<DeviceAuthModuleOptions> | Record<string, unknown>, RegExp]>([
    ['a missing issuer', { issuer: undefined }, /"issuer" is required/],
    ['a relative issuer', { issuer: 'api.example.com' }, /"issuer" must be an absolute URL/],
    ['an http issuer off localhost', { issuer: 'http://api.example.com' }, /"issuer" must use https/],
    ['an issuer with a query', { issuer: 'https://api.example.com/?a=1' }, /"issuer" must not have a query/],
    // The realm of every challenge: Node refuses a header outside Latin-1, and quotes would break out.
    [
      'an issuer with a non-ASCII host',
      { issuer: 'https://bücher.example' },
      /"issuer" must be printable ASCII.*"https:\/\/xn--bcher-kva\.example"/,
    ],
    ['an issuer with a space', { issuer: 'https://api.example.com/my api' }, /"issuer" must be printable ASCII.*my%20api/],
    ['an issuer with a newline', { issuer: 'https://api.example.com/\napi' }, /"issuer" must be printable ASCII/],
    ['an issuer with a quote', { issuer: 'https://api.example.com/"api' }, /"issuer" must be printable ASCII/],
    ['a missing resolveUser', { resolveUser: undefined }, /"resolveUser" is required/],
    ['a loginUrl that is not a function', { loginUrl: '/login' }, /"loginUrl" is required and must be a function/],
    ['a path without a leading slash', { paths: { token: 'o/token/' } }, /"paths.token" must be a path/],
    ['a zero ttl', { deviceCode: { ttl: 0 } }, /"deviceCode.ttl" must be a positive integer/],
    ['a fractional interval', { deviceCode: { interval: 2.5 } }, /"deviceCode.interval" must be a positive integer/],
    ['a charset with lower case', { deviceCode: { userCodeCharset: 'abcdefghijkl' } }, /"deviceCode.userCodeCharset"/],
    [
      'a short user code',
      { deviceCode: { userCodeLength: 4, userCodeMask: 'XXXX' } },
      /"deviceCode.userCodeLength" gives fewer than 30 bits/,
    ],
    ['a mask that does not fit', { deviceCode: { userCodeMask: 'XXX-XXX' } }, /"deviceCode.userCodeMask" must have exactly 8/],
    ['a negative access token ttl', { accessToken: { ttl: -1 } }, /"accessToken.ttl"/],
    ['signing keys without kid', { accessToken: { signingKeys: [{ kty: 'EC' }] } }, /"accessToken.signingKeys"/],
    ['a zero refresh token ttl', { refreshToken: { ttl: 0 } }, /"refreshToken.ttl"/],
    [
      'a negative grace window',
      { refreshToken: { reuseGraceSeconds: -1 } },
      /"refreshToken.reuseGraceSeconds" must be a non-negative integer/,
    ],
    ['a zero family lifetime', { refreshToken: { maxLifetime: 0 } }, /"refreshToken.maxLifetime"/],
    [
      'an audience that is no URL while the protected resource is described',
      { accessToken: { audience: 'my-api' } },
      /"accessToken.audience" must be the API's https URL .* or set protectedResource: false/,
    ],
    ['secret scanning without keys', { secretScanning: {} }, /"secretScanning" needs keys or a keysUrl/],
    [
      'a secret-scanning key that is no P-256 public key',
      { secretScanning: { keys: [{ identifier: 'k', publicKey: 'not a key' }] } },
      /"secretScanning.keys" must each have an identifier and the PEM/,
    ],
    ['a keys URL over http', { secretScanning: { keysUrl: 'http://keys.example.com/' } }, /"secretScanning.keysUrl" must be an https URL/],
    [
      'protected-resource scopes the server does not have',
      { protectedResource: { scopesSupported: ['admin'] } },
      /"protectedResource.scopesSupported"/,
    ],
    ['dynamic registration given as a string', { dynamicRegistration: 'on' }, /"dynamicRegistration" must be true or an object/],
    [
      'a short initial access token',
      { dynamicRegistration: { initialAccessToken: 'letmein' } },
      /"dynamicRegistration.initialAccessToken" must be a string of at least 16 characters or a function/,
    ],
    [
      'registration scopes the server does not have',
      { dynamicRegistration: { scopes: ['admin'] } },
      /"dynamicRegistration.scopes" must be a list of scopes from options.scopes/,
    ],
    ['client ID metadata documents as a string', { clientIdMetadataDocuments: 'on' }, /"clientIdMetadataDocuments" must be an object/],
    [
      'client ID metadata documents of scopes the server does not have',
      { clientIdMetadataDocuments: { scopes: ['admin'] } },
      /"clientIdMetadataDocuments.scopes" must be a list of scopes from options.scopes/,
    ],
    ['a zero document size', { clientIdMetadataDocuments: { maxBytes: 0 } }, /"clientIdMetadataDocuments.maxBytes"/],
    [
      'a document cache minimum above its maximum',
      { clientIdMetadataDocuments: { minCacheSeconds: 600, maxCacheSeconds: 60 } },
      /"clientIdMetadataDocuments.minCacheSeconds" must not exceed/,
    ],
    [
      'allowPrivateAddresses as text',
      { clientIdMetadataDocuments: { allowPrivateAddresses: 'yes' } },
      /"clientIdMetadataDocuments.allowPrivateAddresses" must be true or false/,
    ],
    ['a negative revocation cache', { accessToken: { revocationCacheSeconds: -5 } }, /"accessToken.revocationCacheSeconds"/],
    ['a zero cleanup interval', { cleanup: { intervalSeconds: 0 } }, /"cleanup.intervalSeconds"/],
    ['a PAT prefix without underscore', { personalAccessTokens: { prefix: 'bpat' } }, /"personalAccessTokens.prefix"/],
    ['a PAT prefix taken by refresh tokens', { personalAccessTokens: { prefix: 'brt_' } }, /"personalAccessTokens.prefix"/],
    [
      'a PAT default above the maximum',
      { personalAccessTokens: { defaultTtl: 100, maxTtl: 50 } },
      /"personalAccessTokens.defaultTtl" must not exceed/,
    ],
    ['PAT scopes that are not a list', { personalAccessTokens: { scopes: 'user:read' } }, /"personalAccessTokens.scopes" must be a list/],
    [
      'an unknown PAT scope',
      { scopes: { 'user:read': 'Read' }, personalAccessTokens: { scopes: ['admin'] } },
      /"personalAccessTokens.scopes"/,
    ],
    [
      'an unknown management scope',
      { personalAccessTokens: { managementScope: 'admin' } },
      /"personalAccessTokens.managementScope" must be one of options.scopes/,
    ],
    ['a zero wrong-code limit', { rateLimits: { wrongUserCodes: { limit: 0, windowSeconds: 60 } } }, /"rateLimits.wrongUserCodes.limit"/],
    ['a wrong-secret limit turned off', { rateLimits: { wrongClientSecrets: false } }, /"rateLimits.wrongClientSecrets" must be/],
    [
      'a zero per-IP wrong-code limit',
      { rateLimits: { wrongUserCodesPerIp: { limit: 0, windowSeconds: 60 } } },
      /"rateLimits.wrongUserCodesPerIp.limit"/,
    ],
    [
      'a home URL that is neither a path nor a web address',
      { homeUrl: 'javascript:alert(1)' },
      /"homeUrl" must be a path starting with "\/" or an http\(s\) URL/,
    ],
    ['a protocol-relative home URL', { homeUrl: '//evil.example' }, /"homeUrl" must be a path/],
    ['a logout URL that is no function', { logoutUrl: '/logout' }, /"logoutUrl" is required and must be a function/],
    [
      'a fractional window',
      { rateLimits: { tokenRequestsPerIp: { limit: 5, windowSeconds: 0.5 } } },
      /"rateLimits.tokenRequestsPerIp.windowSeconds"/,
    ],
    ['a rate-limit storage without increment()', { rateLimits: { storage: {} } }, /"rateLimits.storage" must be a ThrottlerStorage/],
    ['a Redis URL of another scheme', { redis: { url: 'http://127.0.0.1:6379' } }, /"redis.url" must be a redis:\/\/ or rediss:\/\/ URL/],
    [
      'a zero Redis connect timeout',
      { redis: { url: 'redis://127.0.0.1:6379', connectTimeoutMs: 0 } },
      /"redis.connectTimeoutMs" must be a positive integer/,
    ],
    [
      'a Redis command timeout as text',
      { redis: { url: 'redis://127.0.0.1:6379', commandTimeoutMs: '500' } },
      /"redis.commandTimeoutMs" must be a positive integer/,
    ],
    [
      'a fractional Redis command timeout',
      { redis: { url: 'redis://127.0.0.1:6379', commandTimeoutMs: 0.5 } },
      /"redis.commandTimeoutMs" must be a positive integer/,
    ],
    ['a short secret', { secret: 'too-short' }, /"secret" must be a string of at least 32/],
    ['a scope without description', { scopes: { 'user:read': '' } }, /"scopes" needs a description for "user:read"/],
    ['a scope name with a space', { scopes: { 'user read': 'x' } }, /"scopes" has an invalid scope name/],
    ['scopes as a list', { scopes: ['user:read'] }, /"scopes" must be an object of descriptions by scope name/],
    [
      'a scope with no texts by language',
      { scopes: { 'user:read': {} } },
      /"scopes" needs a description for "user:read".*de: 'Dein Profil lesen'/,
    ],
    ['a scope described by a list', { scopes: { 'user:read': ['Read your profile'] } }, /"scopes" needs a description for "user:read"/],
    ['a scope described by a number', { scopes: { 'user:read': 42 } }, /"scopes" needs a description for "user:read"/],
    [
      'a scope text under no language tag',
      { scopes: { 'user:read': { en: 'Read your profile', en_US: 'Read your profile' } } },
      /"scopes.user:read" has "en_US" where a language tag such as "de" or "pt-BR" belongs/,
    ],
    [
      'an empty scope text in one language',
      { scopes: { 'user:read': { en: 'Read your profile', de: '' } } },
      /"scopes.user:read.de" must be a non-empty text/,
    ],
    [
      'a scope text that is no text',
      { scopes: { 'user:read': { en: 'Read your profile', de: null } } },
      /"scopes.user:read.de" must be a non-empty text/,
    ],
    ['a clock without now()', { clock: {} }, /"clock" must have a now\(\) method/],
    ['pages that are no renderer', { pages: 'fancy' }, /"pages" must be a class implementing DeviceAuthPages/],
    [
      'a renderer missing pages',
      { pages: { enterCode: () => '', confirm: () => '' } },
      /"pages" lacks the DeviceAuthPages method\(s\) result, message, wrongAccount, consent, personalAccessTokens/,
    ],
    [
      'a renderer class missing a page',
      {
        pages: class {
          enterCode() {}
        },
      },
      /"pages" lacks the DeviceAuthPages method\(s\) confirm/,
    ],
    ['messages as a list', { messages: [] }, /"messages" must be an object of messages by key/],
    ['a message key that does not exist', { messages: { 'confirm.titel': 'Allow?' } }, /"messages" has an unknown key "confirm.titel"/],
    [
      'a message with values given as text',
      { messages: { 'confirm.heading': 'Allow?' } },
      /"messages.confirm.heading" must be a function of its values/,
    ],
    [
      'a plain message given as a function',
      { messages: { 'enterCode.title': () => 'Connect' } },
      /"messages.enterCode.title" must be a string/,
    ],
    ['a language that is no language tag', { messages: { language: 'de"><b>' } }, /"messages.language" must be a language tag/],
    [
      'an Accept-Language function returning an unknown key',
      { messages: () => ({ 'enterCode.titel': 'x' }) },
      /"messages" has an unknown key "enterCode.titel"/,
    ],
  ])('names the option for %s', (_label, override, message) => {
    expect(() => resolveOptions({ ...valid, ...override } as DeviceAuthModuleOptions)).toThrow(message);
  });
});
