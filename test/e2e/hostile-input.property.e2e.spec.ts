import fc from 'fast-check';
import { DEVICE_GRANT } from './support/device-flow';
import { FORM, formEncoded, JSON_TYPE, RawCall, sessionCookie, send } from './support/hostile-requests';
import type { AnswerFormat } from './support/refusals';
import { expectRefusal } from './support/refusals';
import { useTestApp } from './support/test-app';
import { VERIFICATION_PATH } from './support/verification-page';

/** Fixed, so CI runs the same cases every time; a failure prints the seed and the shrunk counterexample. */
const SEED = 20_261_130;
const RUNS = 120;

/** Characters that mean something to a form or a header: separators, escapes, brackets, quotes, spaces. */
const SYNTAX = fc.constantFrom('&', '=', '%', '%2', '%ZZ', '%00', '+', '[', ']', '[]', ';', ',', '"', ' ', '  ', ':', '.');
const TOKEN_NAMES = [
  'grant_type',
  'client_id',
  'client_secret',
  'device_code',
  'refresh_token',
  'code',
  'code_verifier',
  'redirect_uri',
  'scope',
];
const GRANT_TYPES = [DEVICE_GRANT, 'refresh_token', 'authorization_code', 'client_credentials', 'password', ''];

/** Text of every kind: printable ASCII, any Unicode, and the syntax characters above, mixed. */
const text = (maxLength: number): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 4 }), SYNTAX), { maxLength })
    .map((parts) => parts.join(''));

/** A form of known and unknown parameters, encoded properly, or a raw string sent as one. */
const tokenForm: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...TOKEN_NAMES), text(3)),
        fc.oneof(fc.constantFrom(...GRANT_TYPES, 'sample-cli', 'bdc_', 'brt_'), text(6)),
      ),
      { maxLength: 8 },
    )
    .map((parameters) => formEncoded(parameters)),
  text(24),
);

/** What an Authorization header can carry (Node refuses control characters before sending). */
const headerText = (maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength });
const authorizationHeader: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Basic', 'Token', ''), fc.constantFrom(' ', '  ', ''), headerText(60))
    .map((parts) => parts.join('')),
  fc
    .tuple(fc.constantFrom('Bearer ', 'Bearer bpat_', 'Bearer eyJ'), headerText(40), fc.constantFrom('', ' ', ' x', '.', '..'))
    .map((parts) => parts.join('')),
  headerText(80),
);

/**
 * Declared content types: the media types the endpoints know and others, with a charset known,
 * unknown, empty, quoted, with Latin-1 letters, or random; or no Content-Type at all.
 */
const contentType: fc.Arbitrary<string | undefined> = fc.option(
  fc
    .tuple(
      fc.constantFrom(FORM, JSON_TYPE, 'text/plain', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/jwt'),
      fc.option(
        fc.oneof(
          fc.constantFrom('utf-8', 'UTF-8', '"utf-8"', 'utf-16', 'utf-16le', 'utf-32', 'latin1', 'koi8-r', 'x-unknown', '', 'utf-ü'),
          headerText(12),
        ),
        { nil: undefined },
      ),
    )
    .map(([type, charset]) => (charset === undefined ? type : `${type}; charset=${charset}`)),
  { nil: undefined },
);

/** Bodies: bytes of any kind (UTF-8 or not), text, or JSON. */
const anyBody: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  text(16),
  fc.json({ maxDepth: 3 }),
);

/** The machine endpoints, called with no credentials: nothing they are sent can succeed. */
const MACHINE_ENDPOINTS: (Pick<RawCall, 'method' | 'path'> & { format: AnswerFormat })[] = [
  { method: 'post', path: '/o/device-authorization/', format: 'oauth' },
  { method: 'post', path: '/o/token/', format: 'oauth' },
  { method: 'post', path: '/o/revoke/', format: 'oauth' },
  { method: 'post', path: '/o/introspect/', format: 'oauth' },
  { method: 'post', path: '/o/personal-access-tokens', format: 'oauth' },
  { method: 'get', path: '/o/userinfo/', format: 'bearer' },
  { method: 'post', path: '/o/userinfo/', format: 'bearer' },
];

/** Typed user codes: near-misses of the real shape, look-alikes, and anything at all. */
const userCode: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'BCDFGHJKLMNPQRSTVWXZbcdfghjk-  '.split('')), minLength: 1, maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('Ｂ', 'ſ', 'ß', '\u200b', '\u202e', 'İ', 'K', 'ᴮ', '\u0000', '\r\n'), maxLength: 10 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }),
);

/**
 * Random inputs where the table has chosen ones: whatever the token endpoint, the guard or the
 * verification page is sent, the answer is a 4xx in that endpoint's own format, never a 5xx.
 */
describe('hostile input, property-based (fast-check, fixed seed)', () => {
  const testApp = useTestApp();

  it('the token endpoint answers any form body with an RFC 6749 error', async () => {
    await fc.assert(
      fc.asyncProperty(tokenForm, async (body) => {
        expectRefusal(await send(testApp, { method: 'post', path: '/o/token/', contentType: FORM, body }), 'oauth');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('the guard answers any Authorization header with an RFC 6750 challenge', async () => {
    await fc.assert(
      fc.asyncProperty(authorizationHeader, async (authorization) => {
        expectRefusal(await send(testApp, { method: 'get', path: '/api/v1/me', headers: { Authorization: authorization } }), 'bearer');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  // Issue 17: a parser's error text once reached WWW-Authenticate, and Node answered 500 for it.
  it('every machine endpoint answers any body of any declared type and charset with a refusal, its headers printable', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...MACHINE_ENDPOINTS), contentType, anyBody, async (endpoint, type, body) => {
        const response = await send(testApp, { method: endpoint.method, path: endpoint.path, contentType: type, body });
        expectRefusal(response, endpoint.format);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('the verification page answers any typed user code with its error page', async () => {
    const cookie = await sessionCookie(testApp, 'alice');
    await fc.assert(
      fc.asyncProperty(userCode, async (code) => {
        // Past the wrong-guess window of a limiter on the injected clock, so codes reach the lookup; a 429 page passes too.
        testApp.clock.advance(16 * 60);
        const response = await send(testApp, {
          method: 'get',
          path: VERIFICATION_PATH,
          query: new URLSearchParams({ user_code: code }).toString(),
          headers: { Cookie: cookie },
        });
        expectRefusal(response, 'page');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
