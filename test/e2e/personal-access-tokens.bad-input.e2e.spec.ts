import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { signedInBrowser } from './support/device-flow';
import { API, expectInvalidRequest, listTokens } from './support/personal-access-tokens';
import { useTestApp } from './support/test-app';

describe('personal access tokens: bad inputs to the JSON API (a clear 4xx, never a 500, nothing created)', () => {
  const testApp = useTestApp();
  let alice: TestAgent;
  beforeAll(async () => {
    alice = await signedInBrowser(testApp, 'alice');
  });

  const valid = { name: 'script', scopes: ['user:read'] };

  it.each<[string, Record<string, unknown> | unknown[] | string, RegExp]>([
    ['no name', { scopes: ['user:read'] }, /name must be a string/],
    ['a numeric name', { ...valid, name: 42 }, /name must be a string/],
    ['a name as a list', { ...valid, name: ['script'] }, /name must be a string/],
    ['an empty name', { ...valid, name: '' }, /name is required/],
    ['a name of spaces only', { ...valid, name: '   ' }, /name is required/],
    ['a name of 101 characters', { ...valid, name: 'n'.repeat(101) }, /at most 100 characters/],
    ['a 10 KB name', { ...valid, name: 'n'.repeat(10 * 1024) }, /at most 100 characters/],
    ['a name with a NUL byte', { ...valid, name: 'deploy\u0000script' }, /name must not contain control characters/],
    ['a name with CR/LF', { ...valid, name: 'deploy\r\nscript' }, /name must not contain control characters/],
    ['no scopes', { name: 'script' }, /scopes must be a list of strings/],
    ['scopes as a string, not a list', { ...valid, scopes: 'user:read' }, /scopes must be a list of strings/],
    ['scopes as an object', { ...valid, scopes: { 0: 'user:read' } }, /scopes must be a list of strings/],
    ['a number among the scopes', { ...valid, scopes: ['user:read', 1] }, /scopes must be a list of strings/],
    ['an empty scope list', { ...valid, scopes: [] }, /non-empty list/],
    ['an unknown scope', { ...valid, scopes: ['user:read', 'admin'] }, /not allowed for this token: admin/],
    ['the sign-in scope openid', { ...valid, scopes: ['user:read', 'openid'] }, /^scopes not allowed for this token: openid$/],
    ['the sign-in scope profile', { ...valid, scopes: ['profile'] }, /^scopes not allowed for this token: profile$/],
    ['the sign-in scope email', { ...valid, scopes: ['email'] }, /^scopes not allowed for this token: email$/],
    ['the sign-in scope offline_access', { ...valid, scopes: ['offline_access'] }, /^scopes not allowed for this token: offline_access$/],
    ['expiresInDays as a string', { ...valid, expiresInDays: '30' }, /expiresInDays must be a whole number/],
    ['a fractional expiresInDays', { ...valid, expiresInDays: 1.5 }, /expiresInDays must be a whole number/],
    ['expiresInDays 0', { ...valid, expiresInDays: 0 }, /expiry must be between/],
    ['a negative expiresInDays', { ...valid, expiresInDays: -1 }, /expiry must be between/],
    ['expiresInDays above the maximum', { ...valid, expiresInDays: 367 }, /expiry must be between 1 second and 366 days/],
    ['an enormous expiresInDays', { ...valid, expiresInDays: 1e300 }, /expiry must be between/],
    ['"never" (null) where it is not allowed', { ...valid, expiresInDays: null }, /never expire are not allowed/],
    ['a numeric clientId', { ...valid, clientId: 7 }, /clientId must be a string/],
    ['an unknown clientId', { ...valid, clientId: 'no-such-app' }, /clientId must be a personal app bound to this user/],
    ['a clientId with a NUL byte', { ...valid, clientId: 'sample-cli\u0000' }, /clientId must be a personal app bound to this user/],
    ['a 10 KB clientId', { ...valid, clientId: 'c'.repeat(10 * 1024) }, /clientId must be a personal app bound to this user/],
    ['a JSON list instead of an object', [valid], /Send a JSON object/],
  ])('refuses %s with 400 invalid_request', async (_, body, description) => {
    const before = (await listTokens(alice)).length;
    expectInvalidRequest(await alice.post(API).send(body as object), description);
    expect(await listTokens(alice)).toHaveLength(before);
  });

  it.each<[string, (post: request.Test) => request.Test]>([
    ['a form body instead of JSON', (post) => post.type('form').send('name=script&scopes=user:read')],
    ['a form body with array-shaped fields', (post) => post.type('form').send('name[]=script&scopes[]=user:read')],
    ['a text/plain body', (post) => post.set('Content-Type', 'text/plain').send(JSON.stringify(valid))],
    ['no body and no content type', (post) => post],
  ])('refuses %s with 400 invalid_request asking for application/json', async (_, send) => {
    const before = (await listTokens(alice)).length;
    expectInvalidRequest(await send(alice.post(API)), /application\/json/);
    expect(await listTokens(alice)).toHaveLength(before);
  });

  it.each<[string, (post: request.Test) => request.Test, number]>([
    ['JSON that does not parse', (post) => post.set('Content-Type', 'application/json').send('{"name": "script", "scopes": ['), 400],
    ['a 100 KB body', (post) => post.send({ ...valid, padding: 'p'.repeat(100 * 1024) }), 413],
  ])('answers %s with a 4xx', async (_, send, status) => {
    const before = (await listTokens(alice)).length;
    const response = await send(alice.post(API));
    expect(response.status).toBe(status);
    expect(await listTokens(alice)).toHaveLength(before);
  });
});
