import type TestAgent from 'supertest/lib/agent';
import { callMe, signedInBrowser } from './support/device-flow';
import { listTokens } from './support/personal-access-tokens';
import { createFields, createOnPage, Fields, newTokenOf, submit } from './support/personal-access-tokens-page';
import { useTestApp } from './support/test-app';
import { errorMessageOf, expectPageSecurityHeaders } from './support/verification-page';

describe('API tokens page: malformed forms (a 4xx page, never a 500, nothing changes)', () => {
  const testApp = useTestApp();
  let alice: TestAgent;
  let kept: { token: string; id: string };
  beforeAll(async () => {
    alice = await signedInBrowser(testApp, 'alice');
    const token = await createOnPage(alice, 'kept', ['user:read']);
    kept = { token, id: (await listTokens(alice))[0].id };
  });

  it.each<[string, Fields, number, RegExp]>([
    ['no scopes checked', createFields('x', []), 400, /^Choose at least one scope\.$/],
    ['an unknown scope', createFields('x', ['admin']), 400, /^You cannot give a token these scopes: admin\.$/],
    ['an empty name', createFields('', ['user:read']), 400, /^Give the token a name of at most 100 characters\.$/],
    ['a 10 KB name', createFields('n'.repeat(10 * 1024), ['user:read']), 400, /at most 100 characters/],
    [
      'a name with a NUL byte',
      createFields('a\u0000b', ['user:read']),
      400,
      /^The name cannot contain line breaks or other control characters\.$/,
    ],
    ['a name with CR/LF', createFields('a\r\nb', ['user:read']), 400, /cannot contain line breaks/],
    ['a lifetime that is no number', createFields('x', ['user:read'], 'soon'), 400, /malformed/],
    ['a fractional lifetime', createFields('x', ['user:read'], '1.5'), 400, /malformed/],
    ['an empty lifetime', createFields('x', ['user:read'], ''), 400, /^Choose an expiry between 1 and 366 days\.$/],
    ['a lifetime of 0 days', createFields('x', ['user:read'], '0'), 400, /Choose an expiry between/],
    ['a lifetime above the maximum', createFields('x', ['user:read'], '367'), 400, /^Choose an expiry between 1 and 366 days\.$/],
    [
      'the name as a list',
      [
        ['action', 'create'],
        ['name[]', 'x'],
        ['scopes', 'user:read'],
      ],
      400,
      /malformed/,
    ],
    [
      'the name twice',
      [
        ['action', 'create'],
        ['name', 'x'],
        ['name', 'y'],
        ['scopes', 'user:read'],
      ],
      400,
      /malformed/,
    ],
    [
      'the scopes as an object',
      [
        ['action', 'create'],
        ['name', 'x'],
        ['scopes[a]', 'user:read'],
      ],
      400,
      /malformed/,
    ],
    ['the lifetime as a list', [...createFields('x', ['user:read']), ['expires_in_days[]', '7']], 400, /malformed/],
    ['the lifetime twice', [...createFields('x', ['user:read']), ['expires_in_days', '7'], ['expires_in_days', '30']], 400, /malformed/],
    [
      'the action as a list',
      [
        ['action[]', 'create'],
        ['name', 'x'],
        ['scopes', 'user:read'],
      ],
      400,
      /Unknown action/,
    ],
    ['an unknown action', [['action', 'delete-all']], 400, /Unknown action/],
    ['no action', [['name', 'x']], 400, /Unknown action/],
  ])('answers a create with %s', async (_, fields, status, message) => {
    const before = await listTokens(alice);
    const response = await submit(alice, fields);
    expect(response.status).toBe(status);
    expect(response.type).toBe('text/html');
    expectPageSecurityHeaders(response);
    expect(errorMessageOf(response.text)).toMatch(message);
    expect(newTokenOf(response.text)).toBeNull();
    expect(await listTokens(alice)).toEqual(before);
  });

  it.each<[string, (id: string) => Fields]>([
    [
      'the token id as a list',
      (id) => [
        ['action', 'revoke'],
        ['token_id[]', id],
      ],
    ],
    [
      'the token id twice',
      (id) => [
        ['action', 'revoke'],
        ['token_id', id],
        ['token_id', id],
      ],
    ],
    ['no token id', () => [['action', 'revoke']]],
    [
      'an unknown token id',
      () => [
        ['action', 'revoke'],
        ['token_id', '00000000-0000-4000-8000-000000000000'],
      ],
    ],
    [
      'a token id with a NUL byte',
      (id) => [
        ['action', 'revoke'],
        ['token_id', `${id}\u0000`],
      ],
    ],
    [
      'a 10 KB token id',
      () => [
        ['action', 'revoke'],
        ['token_id', 'i'.repeat(10 * 1024)],
      ],
    ],
  ])('answers a revoke with %s with a 4xx page, and revokes nothing', async (_, fields) => {
    const response = await submit(alice, fields(kept.id));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.type).toBe('text/html');
    await callMe(testApp, kept.token).expect(200);
  });

  it('answers a 100 KB form with a 4xx, and creates nothing', async () => {
    const before = await listTokens(alice);
    const response = await submit(alice, [...createFields('big', ['user:read']), ['padding', 'p'.repeat(100 * 1024)]]);
    expect(response.status).toBe(413);
    expect(await listTokens(alice)).toEqual(before);
  });
});
