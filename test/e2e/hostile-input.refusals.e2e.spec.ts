import request from 'supertest';
import { AUTHORIZE_PATH, redeemCode } from './support/code-flow';
import { decideInBrowser, pollToken, refresh, signedInBrowser } from './support/device-flow';
import {
  callWith,
  Endpoint,
  endpointNamed,
  endpoints,
  FORM,
  formEncoded,
  HOSTILE_INPUT_APP,
  jsonBody,
  JSON_TYPE,
  keyValue,
  Parameters,
  placeholderVictims,
  prepareVictims,
  RawCall,
  rowCounts,
  send,
  Victims,
  withKey,
} from './support/hostile-requests';
import { basicAuth, expectOAuthError } from './support/oauth-responses';
import { present } from './support/present';
import { expectRefusal } from './support/refusals';
import { bootTestApp, TestApp } from './support/test-app';

/** A bad input: which endpoints it can reach, and the request it turns the endpoint's valid one into. */
interface BadInput {
  label: string;
  reaches: (endpoint: Endpoint) => boolean;
  call: (endpoint: Endpoint, victims: Victims) => RawCall;
}

const takesParameters = (endpoint: Endpoint): boolean => endpoint.key !== '';
const takesBody = (endpoint: Endpoint): boolean => endpoint.carrier !== 'query' || endpoint.method === 'post';
/** Where a body is read, or refused as unread (userinfo's GET). */
const sendsBody = (endpoint: Endpoint): boolean => takesBody(endpoint) || endpoint.refusesAnyBody === true;
const KB = 1024;

/** A form for an endpoint without parameters (userinfo): an empty one would be no body at all. */
const STAND_IN_FORM = 'unread=1';

/** The endpoint's parameters as a form body, or the stand-in. */
const formOf = (endpoint: Endpoint): string => formEncoded(endpoint.parameters) || STAND_IN_FORM;

/** The endpoint's parameters as its JSON body (`{}` without parameters: the body of issue 17). */
const jsonOf = (endpoint: Endpoint): string => jsonBody(endpoint, Object.fromEntries(endpoint.parameters));

/** The endpoint's own body as it would send it, or the stand-in form. */
function ownBody(endpoint: Endpoint): string {
  const body = callWith(endpoint, endpoint.parameters).body;
  return typeof body === 'string' && body !== '' ? body : STAND_IN_FORM;
}

/** Bytes no UTF-8 decoder accepts: a lone continuation byte, an overlong `/`, and 0xFF. */
const NOT_UTF8 = Buffer.from([0x80, 0xc0, 0xaf, 0xff]);
const MARKER = 'NOTUTF8MARKER';

/** The call with its body's MARKER replaced by NOT_UTF8, as raw bytes. */
function withBytesAtMarker(call: RawCall): RawCall {
  const [before, after] = String(call.body).split(MARKER);
  return { ...call, body: Buffer.concat([Buffer.from(before), NOT_UTF8, Buffer.from(after ?? '')]) };
}

/** The endpoint's request with its body as `body`, of `contentType` (none when undefined). */
const withBody = (endpoint: Endpoint, body: string, contentType?: string): RawCall => ({
  ...callWith(endpoint, endpoint.parameters),
  contentType,
  body,
});

/** The body (or query) of the endpoint's request with `key` written raw, unencoded. */
function withRawKey(endpoint: Endpoint, raw: string): RawCall {
  const encoded = [formEncoded(withKey(endpoint, undefined)), raw].filter((part) => part !== '').join('&');
  const call = callWith(endpoint, endpoint.parameters);
  return endpoint.carrier === 'query' ? { ...call, query: encoded } : { ...call, body: encoded };
}

/** JSON endpoints get the same shapes as JSON values. */
function withJsonKey(endpoint: Endpoint, value: unknown): RawCall {
  const body = jsonBody(endpoint, { ...Object.fromEntries(withKey(endpoint, undefined)), [endpoint.key]: value });
  return withBody(endpoint, body, JSON_TYPE);
}

const replaced = (endpoint: Endpoint, value: (original: string) => string): RawCall =>
  callWith(endpoint, withKey(endpoint, value(keyValue(endpoint))));

/** The endpoint's request with the header `name` set to `value`, or without it. */
const withHeader = (endpoint: Endpoint, name: string, value: string | undefined): RawCall => {
  const call = callWith(endpoint, endpoint.parameters);
  const others = Object.entries(call.headers ?? {}).filter(([header]) => header !== name);
  return { ...call, headers: Object.fromEntries(value === undefined ? others : [...others, [name, value]]) };
};

/** Unicode look-alikes of a user code: none of them is the code. */
const fullWidth = (code: string): string => code.replace(/[A-Z]/g, (letter) => String.fromCharCode(letter.charCodeAt(0) + 0xfee0));

/** PROTOCOL.md's "Bad inputs every endpoint must survive", and what the body parsers refuse. */
const BAD_INPUTS: BadInput[] = [
  // The parameters themselves.
  {
    label: 'a repeated parameter',
    reaches: (e) => takesParameters(e) && e.carrier !== 'json',
    call: (e) => callWith(e, [...e.parameters, [e.key, keyValue(e)]]),
  },
  {
    label: 'an array shape (key[]=)',
    reaches: takesParameters,
    call: (e) =>
      e.carrier === 'json' ? withJsonKey(e, [keyValue(e)]) : callWith(e, [...withKey(e, undefined), [`${e.key}[]`, keyValue(e)]]),
  },
  {
    label: 'an object shape (key[a]=)',
    reaches: takesParameters,
    call: (e) =>
      e.carrier === 'json' ? withJsonKey(e, { a: keyValue(e) }) : callWith(e, [...withKey(e, undefined), [`${e.key}[a]`, keyValue(e)]]),
  },
  { label: 'an empty value', reaches: takesParameters, call: (e) => replaced(e, () => '') },
  { label: 'a 10 KB value', reaches: takesParameters, call: (e) => replaced(e, () => 'x'.repeat(10 * KB)) },
  { label: 'a NUL byte', reaches: takesParameters, call: (e) => replaced(e, (value) => `${value}\u0000`) },
  { label: 'CR/LF', reaches: takesParameters, call: (e) => replaced(e, (value) => `${value}\r\nX-Injected: 1`) },
  {
    label: 'bad percent-encoding',
    // Decoded leniently by the platform, it is an unknown token there: see the test after the table.
    reaches: (e) => takesParameters(e) && e.answersUnknownTokens !== true,
    call: (e) => (e.carrier === 'json' ? withBody(e, `{"${e.key}":"\\x"}`, JSON_TYPE) : withRawKey(e, `${e.key}=%E0%A4%A`)),
  },
  // The body as a whole.
  {
    label: 'a JSON body where a form is expected (a form where JSON is)',
    reaches: (e) => takesParameters(e) && e.carrier !== 'query',
    call: (e) =>
      e.carrier === 'json'
        ? withBody(e, formEncoded(e.parameters), FORM)
        : withBody(e, JSON.stringify(Object.fromEntries(e.parameters)), JSON_TYPE),
  },
  {
    label: 'no content type',
    reaches: (e) => takesParameters(e) && e.carrier !== 'query',
    call: (e) => ({ ...callWith(e, e.parameters), contentType: undefined }),
  },
  { label: 'a text/plain body', reaches: sendsBody, call: (e) => withBody(e, ownBody(e), 'text/plain') },
  {
    label: 'a body declared in another charset',
    reaches: (e) => takesParameters(e) && e.carrier !== 'query',
    call: (e) => {
      const call = callWith(e, e.parameters);
      return { ...call, contentType: `${call.contentType}; charset=koi8-r` };
    },
  },
  {
    label: 'a 100 KB body',
    reaches: takesBody,
    call: (e) =>
      e.carrier === 'json'
        ? withJsonKey(e, 'x'.repeat(100 * KB))
        : withBody(e, formEncoded([...e.parameters, ['padding', 'a'.repeat(100 * KB)]]), FORM),
  },
  // Express's parser refuses these two (400, 413); Fastify's has no such limits and reads the nested
  // key literally and the extra parameters as unknown ones, which RFC 6749 §3.2 says to ignore: the
  // parameter they replace is what makes the request fail there.
  {
    label: 'the parameter nested 40 deep',
    reaches: (e) => takesParameters(e) && e.carrier !== 'json',
    call: (e) => withRawKey(e, `${e.key}${'[a]'.repeat(40)}=1`),
  },
  {
    label: '1,200 parameters instead of the parameter',
    reaches: (e) => takesParameters(e) && e.carrier === 'form',
    call: (e) => {
      const padding: Parameters = Array.from({ length: 1200 }, (_, index) => [`p${index}`, '1']);
      return withBody(e, formEncoded([...padding, ...withKey(e, undefined)]), FORM);
    },
  },
  { label: 'malformed JSON', reaches: sendsBody, call: (e) => withBody(e, `{"${e.key || 'a'}":`, JSON_TYPE) },
  // Bodies whose parser errors once reached a header (issue 17): Express's JSON parser read `{}`
  // declared UTF-16 as '絻' and said so in WWW-Authenticate, which Node refused: a 500. Each is
  // refused in the endpoint's format, on both platforms, with every header printable ASCII.
  ...['utf-16', 'utf-32', 'latin1', 'x-no-such-charset', ''].map((charset): BadInput => ({
    label: `a JSON body declared charset=${charset}`,
    reaches: sendsBody,
    call: (e) => withBody(e, jsonOf(e), `${JSON_TYPE}; charset=${charset}`),
  })),
  ...['utf-16', 'x-no-such-charset'].map((charset): BadInput => ({
    label: `a form body declared charset=${charset}`,
    reaches: sendsBody,
    call: (e) => withBody(e, formOf(e), `${FORM}; charset=${charset}`),
  })),
  {
    // The parameter's value in bytes that are not UTF-8; where there is none (userinfo), a bearer
    // token in the body instead of the header. Decoded leniently (U+FFFD), a token is an unknown
    // one at revocation and introspection: see the test after the table.
    label: 'a body that is not UTF-8',
    reaches: (e) => sendsBody(e) && (takesParameters(e) || e.readsBearer === true) && e.answersUnknownTokens !== true,
    call: (e) =>
      withBytesAtMarker(
        takesParameters(e)
          ? callWith(e, withKey(e, MARKER))
          : { ...withHeader(e, 'Authorization', undefined), contentType: FORM, body: `access_token=${MARKER}` },
      ),
  },
  {
    label: 'a truncated multipart body',
    reaches: sendsBody,
    call: (e) =>
      withBody(
        e,
        `--b0undary\r\nContent-Disposition: form-data; name="${e.key || 'unread'}"\r\n\r\n${takesParameters(e) ? keyValue(e) : '1'}`,
        'multipart/form-data; boundary=b0undary',
      ),
  },
  {
    // In a form body: Express's parser drops the key, Fastify's refuses the body.
    label: 'the parameter renamed __proto__',
    reaches: (e) => takesParameters(e) && e.carrier === 'form',
    call: (e) => withRawKey(e, `__proto__=${keyValue(e)}`),
  },
  // Credentials in the Authorization header.
  {
    label: 'Basic credentials without a colon',
    reaches: (e) => e.authenticatesClient === true,
    call: (e) => withHeader(e, 'Authorization', 'Basic ' + Buffer.from('sample-cli').toString('base64')),
  },
  {
    // Form-decoded after base64 (RFC 6749 Appendix B): a NUL PostgreSQL would refuse with an error.
    label: 'Basic credentials naming a client with a NUL',
    reaches: (e) => e.authenticatesClient === true,
    call: (e) => withHeader(e, 'Authorization', basicAuth('sample-cli%00', 'x')),
  },
  {
    label: 'Basic credentials in bad base64',
    reaches: (e) => e.authenticatesClient === true,
    call: (e) => withHeader(e, 'Authorization', 'Basic %%%not-base64%%%'),
  },
  { label: '"Bearer" with no token', reaches: (e) => e.readsBearer === true, call: (e) => withHeader(e, 'Authorization', 'Bearer') },
  {
    label: '"Bearer" with two spaces',
    reaches: (e) => e.readsBearer === true,
    call: (e, v) => withHeader(e, 'Authorization', `Bearer  ${v.accessToken}`),
  },
  {
    label: '"Bearer" with two tokens',
    reaches: (e) => e.readsBearer === true,
    call: (e, v) => withHeader(e, 'Authorization', `Bearer ${v.accessToken} ${v.accessToken}`),
  },
  {
    label: 'a 10 KB bearer token',
    reaches: (e) => e.readsBearer === true,
    call: (e) => withHeader(e, 'Authorization', `Bearer ${'a'.repeat(10 * KB)}`),
  },
  {
    label: 'the token only in the query string',
    reaches: (e) => e.readsBearer === true,
    call: (e, v) => ({ ...withHeader(e, 'Authorization', undefined), query: `access_token=${v.accessToken}` }),
  },
  {
    label: 'the token in a form body of a GET',
    reaches: (e) => e.readsBearer === true && e.method === 'get',
    call: (e, v) => ({ ...withHeader(e, 'Authorization', undefined), contentType: FORM, body: `access_token=${v.accessToken}` }),
  },
  // User codes that only look like the real one (RFC 8628 §5.1: anything outside ASCII is refused).
  ...(
    [
      ['full-width letters', fullWidth],
      ['a long s (ſ)', (code: string) => `${code.slice(0, -1)}ſ`],
      ['a sharp s (ß)', (code: string) => `${code.slice(0, -2)}ß`],
      ['a zero-width space', (code: string) => `${code.slice(0, 4)}\u200b${code.slice(4)}`],
      ['a right-to-left override', (code: string) => `\u202e${code}`],
    ] as const
  ).map(([label, lookAlike]): BadInput => ({
    label: `a user code with ${label}`,
    reaches: (e) => e.key === 'user_code',
    call: (e) => replaced(e, lookAlike),
  })),
];

/** The PAT API's `DELETE /:id` with ids no token has. */
const BAD_TOKEN_IDS: [string, string][] = [
  ['bad percent-encoding', '%E0%A4%A'],
  ['a NUL byte', 'a%00b'],
  ['CR/LF', 'a%0D%0Ab'],
  ['a look-alike of a real id', '\uff10'],
  ['a 1 KB id', 'a'.repeat(KB)],
];

/**
 * Every bad input of PROTOCOL.md, and whatever the body parsers refuse, against every endpoint of
 * the module and the sample: each request would succeed without its one bad part; each must come
 * back a 4xx in the endpoint's own format, never cached, never a 500, never a stack, and must
 * change nothing.
 */
describe('hostile input, every endpoint', () => {
  let testApp: TestApp;
  let victims: Victims;
  let rowsBefore: Record<string, number>;
  beforeAll(async () => {
    testApp = await bootTestApp(HOSTILE_INPUT_APP);
    victims = await prepareVictims(testApp);
    rowsBefore = await rowCounts(testApp);
  });
  afterAll(() => testApp.close());

  // Endpoints are built from live credentials, so the table lists them by name and looks them up in the test.
  const names = endpoints(placeholderVictims()).map((endpoint) => endpoint.name);
  const rows = names.flatMap((name) =>
    BAD_INPUTS.filter((input) => input.reaches(endpointNamed(placeholderVictims(), name))).map((input) => [name, input.label] as const),
  );

  it.each(rows)('%s: %s → a refusal in its own format', async (name, label) => {
    const endpoint = endpointNamed(victims, name);
    const input = present(
      BAD_INPUTS.find((candidate) => candidate.label === label),
      label,
    );
    const response = await send(testApp, input.call(endpoint, victims));
    expectRefusal(response, endpoint.format);
    // Refused for its bad part, not answered as the valid request is (a pending device code).
    if (endpoint.validError !== undefined) expect(response.body.error).not.toBe(endpoint.validError);
  });

  it.each(BAD_TOKEN_IDS)('PAT API, revoke: an id with %s → a refusal in its own format', async (_label, id) => {
    const response = await send(testApp, {
      method: 'delete',
      path: `/o/personal-access-tokens/${id}`,
      headers: { Cookie: victims.aliceCookie },
    });
    expectRefusal(response, 'oauth');
  });

  it.each([
    ['revocation', 'bad percent-encoding'],
    ['introspection', 'bad percent-encoding'],
    ['revocation', 'bytes that are not UTF-8'],
    ['introspection', 'bytes that are not UTF-8'],
  ])('%s: a token in %s is an unknown token, answered 200 as RFC 7009 and 7662 say', async (name, label) => {
    const endpoint = endpointNamed(victims, name);
    const call =
      label === 'bad percent-encoding'
        ? withRawKey(endpoint, 'token=%E0%A4%A')
        : withBytesAtMarker(callWith(endpoint, withKey(endpoint, MARKER)));
    const response = await send(testApp, call);
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    if (name === 'introspection') expect(response.body).toEqual({ active: false });
  });

  it('leaves every row as it was, and every credential usable', async () => {
    expect(await rowCounts(testApp)).toEqual(rowsBefore);

    await redeemCode(testApp, {
      code: victims.code.code,
      redirect_uri: victims.code.redirectUri,
      code_verifier: victims.code.verifier,
      client_id: 'sample-cli',
    }).expect(200);
    const introspection = await request(testApp.http)
      .post('/o/introspect/')
      .type('form')
      .set('Authorization', basicAuth(victims.resourceServer.id, victims.resourceServer.secret))
      .send({ token: victims.accessToken })
      .expect(200);
    expect(introspection.body.active).toBe(true);
    await refresh(testApp, victims.refreshToken).expect(200);
    await refresh(testApp, victims.revocableRefreshToken).expect(200);
    const alice = await signedInBrowser(testApp, 'alice');
    const listed = (await alice.get('/o/personal-access-tokens').expect(200)).body as { id: string; status: string }[];
    expect(listed.find((token) => token.id === victims.patId)?.status).toBe('active');
    await alice.get(AUTHORIZE_PATH).query(Object.fromEntries(victims.authorizeQuery)).expect(200);

    // Still pending, and still approvable: by bob from another address, as the look-alikes used up
    // the wrong guesses of alice and of 127.0.0.1.
    expectOAuthError(await pollToken(testApp, victims.pending.device_code, 'team-cli'), 400, 'authorization_pending');
    await decideInBrowser(await signedInBrowser(testApp, 'bob', '127.0.0.2'), victims.pending.user_code, 'approve');
    testApp.clock.advance(victims.pending.interval);
    await pollToken(testApp, victims.pending.device_code, 'team-cli').expect(200);
  });
});
