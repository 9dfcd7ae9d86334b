import { generateKeyPairSync, sign } from 'node:crypto';
import request from 'supertest';
import { ClientsService, DEVICE_AUTH_ENTITIES } from '../../../lib';
import { DataSource } from 'typeorm';
import { authorizeQuery, AUTHORIZE_PATH, hiddenFieldsOf, pkce, redirectParameters, consent } from './code-flow';
import {
  csrfTokenOf,
  deviceLogin,
  LoginFormTicket,
  openLoginForm,
  PASSWORDS,
  signedInBrowser,
  startDeviceAuthorization,
  submitLoginForm,
  DeviceStart,
  DEVICE_GRANT,
} from './device-flow';
import { basicAuth } from './oauth-responses';
import { present } from './present';
import type { AnswerFormat } from './refusals';
import { registerResourceServer } from './resource-server';
import type { BootOptions, TestApp } from './test-app';
import { VERIFICATION_PATH } from './verification-page';

/** What the registration endpoint of the hostile-input app asks for. */
const INITIAL_ACCESS_TOKEN = 'hostile-input-initial-access-token';

/** A secret scanner's signing key (ECDSA P-256, as GitHub's), so the table's reports are signed. */
const SCANNER = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const SCANNER_KEY_ID = 'hostile-input-scanner';

/**
 * The sample app with dynamic registration on, behind an initial access token so the bearer rows
 * reach it too; unlimited, as the table sends it more than an hour's allowance from one address.
 * Secret scanning on, so its endpoint is in the table too.
 */
export const HOSTILE_INPUT_APP: BootOptions = {
  deviceAuth: {
    dynamicRegistration: { initialAccessToken: INITIAL_ACCESS_TOKEN },
    rateLimits: { registrationsPerIp: false },
    secretScanning: {
      keys: [{ identifier: SCANNER_KEY_ID, publicKey: SCANNER.publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
    },
  },
};

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';

/** One raw request: the body and query exactly as written here, so they can be anything a client can send. */
export interface RawCall {
  method: 'get' | 'post' | 'delete';
  path: string;
  /** Already encoded, without `?`. */
  query?: string;
  headers?: Record<string, string>;
  /** No Content-Type header when absent. */
  contentType?: string;
  /** Text is sent as UTF-8; a Buffer as its bytes (a body that is not UTF-8 at all). */
  body?: string | Buffer;
}

export function send(testApp: TestApp, call: RawCall): request.Test {
  const url = call.query === undefined ? call.path : `${call.path}?${call.query}`;
  let test = request(testApp.http)[call.method](url);
  for (const [name, value] of Object.entries(call.headers ?? {})) test = test.set(name, value);
  if (call.contentType !== undefined) test = test.set('Content-Type', call.contentType);
  // Bytes as they are: as a Buffer supertest adds no Content-Type, and the identity serializer keeps
  // it from re-encoding them by the Content-Type given.
  if (call.body === undefined) return test;
  return test.serialize((body: unknown) => body as string).send(Buffer.isBuffer(call.body) ? call.body : Buffer.from(call.body, 'utf8'));
}

export type Parameters = [name: string, value: string][];

/** `application/x-www-form-urlencoded` (and query string) encoding of name/value pairs, in order. */
export const formEncoded = (parameters: Parameters): string =>
  parameters.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');

/**
 * An endpoint as a valid request would reach it: where its input travels (a form or JSON body, the
 * query string, the path), that input, and who calls. `key` names the parameter the bad inputs
 * replace: without it (or with it bad) the request cannot succeed.
 */
export interface Endpoint {
  name: string;
  format: AnswerFormat;
  method: RawCall['method'];
  path: string;
  carrier: 'form' | 'json' | 'query';
  parameters: Parameters;
  key: string;
  headers: Record<string, string>;
  /** The endpoint authenticates an OAuth client (Basic credentials are read). */
  authenticatesClient?: boolean;
  /** The endpoint reads a bearer token from the Authorization header. */
  readsBearer?: boolean;
  /** Non-string members of a JSON body, sent as they are. */
  jsonValues?: Record<string, unknown>;
  /** The JSON body is a list of one such object (a secret scanner's report of findings). */
  jsonList?: boolean;
  /** A GET that reads no body and refuses one (userinfo), so the rows about bodies reach it too. */
  refusesAnyBody?: boolean;
  /** The answer of the valid request when it is an error by design (a device code not yet approved). */
  validError?: string;
  /** RFC 7009 §2.2 / RFC 7662 §2.2: an invalid token is answered 200 (not revoked, or inactive), not refused. */
  answersUnknownTokens?: boolean;
}

/** The endpoint's JSON body with these members (besides its `jsonValues`), as an object or a list of one. */
export function jsonBody(endpoint: Endpoint, members: Record<string, unknown>): string {
  const object = { ...endpoint.jsonValues, ...members };
  return JSON.stringify(endpoint.jsonList === true ? [object] : object);
}

/** The endpoint's request with `parameters` in place of its own, encoded as the endpoint expects. */
export function callWith(endpoint: Endpoint, parameters: Parameters): RawCall {
  const call: RawCall = { method: endpoint.method, path: endpoint.path, headers: { ...endpoint.headers } };
  if (endpoint.carrier === 'query') return { ...call, query: formEncoded(parameters) };
  if (endpoint.carrier === 'form') return { ...call, contentType: FORM, body: formEncoded(parameters) };
  return { ...call, contentType: JSON_TYPE, body: jsonBody(endpoint, Object.fromEntries(parameters)) };
}

/**
 * The secret-scanning endpoint with a report of one finding (a token no one has: false_positive),
 * signed over the valid request's bytes: any other body fails the signature, if nothing before.
 */
function secretScanning(): Endpoint {
  const endpoint: Endpoint = {
    name: 'secret scanning report',
    format: 'oauth',
    method: 'post',
    path: '/o/secret-scanning/',
    carrier: 'json',
    parameters: [['token', `bpat_${'A'.repeat(36)}`]],
    jsonValues: { type: 'nest_device_auth_pat', url: 'https://example.com/leak' },
    jsonList: true,
    key: 'token',
    headers: {},
  };
  const body = Buffer.from(jsonBody(endpoint, Object.fromEntries(endpoint.parameters)));
  const signature = sign('sha256', body, { key: SCANNER.privateKey, dsaEncoding: 'der' }).toString('base64');
  return { ...endpoint, headers: { 'Github-Public-Key-Identifier': SCANNER_KEY_ID, 'Github-Public-Key-Signature': signature } };
}

/** The endpoint's parameters with `key`'s value replaced (or, with `undefined`, removed). */
export function withKey(endpoint: Endpoint, value: string | undefined): Parameters {
  const others = endpoint.parameters.filter(([name]) => name !== endpoint.key);
  return value === undefined ? others : [...others, [endpoint.key, value]];
}

export const keyValue = (endpoint: Endpoint): string =>
  present(
    endpoint.parameters.find(([name]) => name === endpoint.key),
    `${endpoint.key} of ${endpoint.name}`,
  )[1];

/** The sample's session cookie (`sid=…`) for `username`, for raw requests. */
export async function sessionCookie(testApp: TestApp, username: keyof typeof PASSWORDS): Promise<string> {
  const response = await submitLoginForm(request.agent(testApp.http), { username, password: PASSWORDS[username], next: '/' });
  expect(response.status).toBe(303);
  const cookies = response.headers['set-cookie'] as unknown as string[];
  return present(
    cookies.find((cookie) => cookie.startsWith('sid=')),
    'a session cookie',
  ).split(';')[0];
}

/** Rows in every table of the module: what a refused request must leave as it found it. */
export async function rowCounts(testApp: TestApp): Promise<Record<string, number>> {
  const dataSource = testApp.app.get(DataSource);
  const counts: Record<string, number> = {};
  for (const entity of DEVICE_AUTH_ENTITIES)
    counts[dataSource.getMetadata(entity).tableName] = await dataSource.getRepository(entity).count();
  return counts;
}

/** Live credentials of every kind, each usable exactly once more after the hostile requests. */
export interface Victims {
  aliceCookie: string;
  /** A signed-out browser's sign-in form: its CSRF cookie and token. */
  loginForm: LoginFormTicket;
  /** Pending, for team-cli (a partner app, so bob may approve it at the end); alice's confirm page's CSRF token. */
  pending: DeviceStart;
  verificationCsrf: string;
  /** alice's tokens (user:read openid tokens:manage) through sample-cli. */
  accessToken: string;
  refreshToken: string;
  /** A second refresh token, the target of the revocation rows. */
  revocableRefreshToken: string;
  code: { code: string; redirectUri: string; verifier: string };
  /** A consent page's form, ready to approve. */
  consentForm: Parameters;
  authorizeQuery: Parameters;
  patPageCsrf: string;
  patId: string;
  machine: { id: string; secret: string };
  resourceServer: { id: string; secret: string };
}

export async function prepareVictims(testApp: TestApp): Promise<Victims> {
  const aliceCookie = await sessionCookie(testApp, 'alice');
  const browser = await signedInBrowser(testApp, 'alice');
  const pending = await startDeviceAuthorization(testApp, 'team-cli');
  const confirm = await browser.get(VERIFICATION_PATH).query({ user_code: pending.user_code }).expect(200);
  const tokens = await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read openid tokens:manage');
  const revocable = await deviceLogin(testApp, 'alice');

  const codeChallenge = pkce();
  const codeQuery = authorizeQuery(codeChallenge.challenge);
  const code = present(redirectParameters(await consent(browser, codeQuery, 'approve')).get('code'), 'a code');
  const consentChallenge = pkce();
  const consentQuery = authorizeQuery(consentChallenge.challenge);
  const consentPage = await browser.get(AUTHORIZE_PATH).query(consentQuery).expect(200);

  const patPage = await browser.get('/settings/tokens').expect(200);
  const pat = await browser
    .post('/o/personal-access-tokens')
    .send({ name: 'victim', scopes: ['user:read'] })
    .expect(201);

  const registered = await testApp.app.get(ClientsService).register({
    clientId: 'hostile-input-bot',
    name: 'Hostile input bot',
    type: 'confidential',
    mode: 'partner',
    grantTypes: ['client_credentials'],
    scopes: ['listings:read'],
  });
  return {
    aliceCookie,
    loginForm: await openLoginForm(testApp),
    pending,
    verificationCsrf: csrfTokenOf(confirm.text),
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    revocableRefreshToken: revocable.refresh_token,
    code: { code, redirectUri: codeQuery.redirect_uri, verifier: codeChallenge.verifier },
    consentForm: [...Object.entries(hiddenFieldsOf(consentPage.text)), ['action', 'approve']],
    authorizeQuery: Object.entries(consentQuery),
    patPageCsrf: csrfTokenOf(patPage.text),
    patId: (pat.body as { id: string }).id,
    machine: { id: 'hostile-input-bot', secret: present(registered.clientSecret, 'the bot secret') },
    resourceServer: await registerResourceServer(testApp),
  };
}

/** Every endpoint of the module and the sample, each with a request that would succeed as it stands. */
export function endpoints(victims: Victims): Endpoint[] {
  const cookie = { Cookie: victims.aliceCookie };
  const bearer = { Authorization: `Bearer ${victims.accessToken}` };
  const token = (name: string, parameters: Parameters, key: string, headers: Record<string, string> = {}): Endpoint => ({
    name: `token endpoint, ${name}`,
    format: 'oauth',
    method: 'post',
    path: '/o/token/',
    carrier: 'form',
    parameters,
    key,
    headers,
    authenticatesClient: true,
  });
  const guarded = (name: string, method: RawCall['method'], path: string): Endpoint => ({
    name,
    format: 'bearer',
    method,
    path,
    carrier: 'query',
    parameters: [],
    key: '',
    headers: bearer,
    readsBearer: true,
  });
  return [
    {
      name: 'device authorization',
      format: 'oauth',
      method: 'post',
      path: '/o/device-authorization/',
      carrier: 'form',
      parameters: [['client_id', 'sample-cli']],
      key: 'client_id',
      headers: {},
      authenticatesClient: true,
    },
    {
      ...token(
        'device_code',
        [
          ['grant_type', DEVICE_GRANT],
          ['client_id', 'team-cli'],
          ['device_code', victims.pending.device_code],
        ],
        'device_code',
      ),
      validError: 'authorization_pending',
    },
    token(
      'refresh_token',
      [
        ['grant_type', 'refresh_token'],
        ['client_id', 'sample-cli'],
        ['refresh_token', victims.refreshToken],
      ],
      'refresh_token',
    ),
    token(
      'authorization_code',
      [
        ['grant_type', 'authorization_code'],
        ['client_id', 'sample-cli'],
        ['redirect_uri', victims.code.redirectUri],
        ['code_verifier', victims.code.verifier],
        ['code', victims.code.code],
      ],
      'code',
    ),
    token('client_credentials', [['grant_type', 'client_credentials']], 'grant_type', {
      Authorization: basicAuth(victims.machine.id, victims.machine.secret),
    }),
    {
      name: 'revocation',
      format: 'oauth',
      method: 'post',
      path: '/o/revoke/',
      carrier: 'form',
      parameters: [
        ['client_id', 'sample-cli'],
        ['token', victims.revocableRefreshToken],
      ],
      key: 'token',
      headers: {},
      authenticatesClient: true,
      answersUnknownTokens: true,
    },
    {
      name: 'introspection',
      format: 'oauth',
      method: 'post',
      path: '/o/introspect/',
      carrier: 'form',
      parameters: [['token', victims.accessToken]],
      key: 'token',
      headers: { Authorization: basicAuth(victims.resourceServer.id, victims.resourceServer.secret) },
      authenticatesClient: true,
      answersUnknownTokens: true,
    },
    {
      name: 'PAT API, create',
      format: 'oauth',
      method: 'post',
      path: '/o/personal-access-tokens',
      carrier: 'json',
      parameters: [['name', 'hostile']],
      jsonValues: { scopes: ['user:read'] },
      key: 'name',
      headers: cookie,
    },
    { ...guarded('PAT API, list', 'get', '/o/personal-access-tokens'), format: 'oauth' },
    {
      name: 'dynamic client registration',
      format: 'oauth',
      method: 'post',
      path: '/o/register/',
      carrier: 'json',
      parameters: [['client_name', 'Hostile agent']],
      jsonValues: { grant_types: [DEVICE_GRANT] },
      key: 'client_name',
      headers: { Authorization: `Bearer ${INITIAL_ACCESS_TOKEN}` },
      readsBearer: true,
    },
    secretScanning(),
    { ...guarded('userinfo, GET', 'get', '/o/userinfo/'), refusesAnyBody: true },
    // An empty form: userinfo reads a token there at most, and refuses bodies of any other kind.
    { ...guarded('userinfo, POST', 'post', '/o/userinfo/'), carrier: 'form' },
    guarded('GET /api/v1/me', 'get', '/api/v1/me'),
    guarded('GET /api/v1/token', 'get', '/api/v1/token'),
    {
      name: 'verification page, GET',
      format: 'page',
      method: 'get',
      path: VERIFICATION_PATH,
      carrier: 'query',
      parameters: [['user_code', victims.pending.user_code]],
      key: 'user_code',
      headers: cookie,
    },
    {
      name: 'verification page, POST',
      format: 'page',
      method: 'post',
      path: VERIFICATION_PATH,
      carrier: 'form',
      parameters: [
        ['csrf_token', victims.verificationCsrf],
        ['action', 'approve'],
        ['user_code', victims.pending.user_code],
      ],
      key: 'user_code',
      headers: cookie,
    },
    {
      name: 'authorize page, GET',
      format: 'page',
      method: 'get',
      path: AUTHORIZE_PATH,
      carrier: 'query',
      parameters: victims.authorizeQuery,
      key: 'client_id',
      headers: cookie,
    },
    {
      name: 'authorize page, POST',
      format: 'page',
      method: 'post',
      path: AUTHORIZE_PATH,
      carrier: 'form',
      parameters: victims.consentForm,
      key: 'client_id',
      headers: cookie,
    },
    {
      name: 'API tokens page, POST',
      format: 'page',
      method: 'post',
      path: '/settings/tokens',
      carrier: 'form',
      parameters: [
        ['csrf_token', victims.patPageCsrf],
        ['action', 'create'],
        ['scopes', 'user:read'],
        ['name', 'hostile'],
      ],
      // Not the name: a name is free text, and a leniently decoded bad escape is a name too.
      key: 'csrf_token',
      headers: cookie,
    },
    {
      name: 'sample sign-in page, POST',
      format: 'page',
      method: 'post',
      path: '/login',
      carrier: 'form',
      parameters: [
        ['csrf_token', victims.loginForm.csrfToken],
        ['password', PASSWORDS.alice],
        ['next', '/'],
        ['username', 'alice'],
      ],
      key: 'username',
      headers: { Cookie: victims.loginForm.cookie },
    },
  ];
}

/** The endpoint of that name, built from these credentials. */
export function endpointNamed(victims: Victims, name: string): Endpoint {
  const endpoint = endpoints(victims).find((candidate) => candidate.name === name);
  if (!endpoint) throw new Error(`no endpoint named ${name}`);
  return endpoint;
}

/** Stand-in credentials, only to enumerate the table before the app exists. */
export function placeholderVictims(): Victims {
  return {
    aliceCookie: 'sid=x',
    loginForm: { cookie: 'login_csrf=x', csrfToken: 'x' },
    pending: { device_code: 'x', user_code: 'BCDF-GHJK', verification_uri: '', verification_uri_complete: '', expires_in: 1, interval: 5 },
    verificationCsrf: 'x',
    accessToken: 'x',
    refreshToken: 'x',
    revocableRefreshToken: 'x',
    code: { code: 'x', redirectUri: 'x', verifier: 'x' },
    consentForm: [['client_id', 'x']],
    authorizeQuery: [['client_id', 'x']],
    patPageCsrf: 'x',
    patId: 'x',
    machine: { id: 'x', secret: 'x' },
    resourceServer: { id: 'x', secret: 'x' },
  };
}
