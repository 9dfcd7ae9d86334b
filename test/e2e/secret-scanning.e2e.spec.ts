import { generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { DeviceAuthEventMap, DeviceAuthEvents } from '../../lib';
import { sha256Hex } from '../../lib/tokens/hashing';
import { callMe, deviceLogin, refresh, signedInBrowser } from './support/device-flow';
import { expectOAuthError } from './support/oauth-responses';
import { bootTestApp, TestApp, useTestApp } from './support/test-app';

const PATH = '/o/secret-scanning/';

/** A reporter's key pair, as GitHub holds one: ECDSA P-256. */
function reporterKeys(): { privateKey: KeyObject; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { privateKey, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

const github = reporterKeys();
const forger = reporterKeys();

interface Finding {
  token: string;
  type: string;
  url?: string;
  source?: string;
}

/** A report as GitHub sends it: the JSON findings, signed over the exact bytes sent. */
function report(testApp: TestApp, findings: Finding[], signer = github.privateKey, identifier = 'github-1'): request.Test {
  const body = JSON.stringify(findings);
  const signature = sign('sha256', Buffer.from(body), { key: signer, dsaEncoding: 'der' }).toString('base64');
  return request(testApp.http)
    .post(PATH)
    .set('Content-Type', 'application/json')
    .set('Github-Public-Key-Identifier', identifier)
    .set('Github-Public-Key-Signature', signature)
    .send(body);
}

async function createPersonalAccessToken(testApp: TestApp): Promise<string> {
  const alice = await signedInBrowser(testApp, 'alice');
  const created = await alice
    .post('/o/personal-access-tokens')
    .send({ name: 'ci script', scopes: ['user:read'] })
    .expect(201);
  return created.body.token as string;
}

describe('leaked tokens reported by a secret scanner', () => {
  const testApp = useTestApp({ deviceAuth: { secretScanning: { keys: [{ identifier: 'github-1', publicKey: github.publicKey }] } } });

  it('revokes a live PAT found in public, answers true_positive by its digest, and tells the host where it was found', async () => {
    const pat = await createPersonalAccessToken(testApp);
    await callMe(testApp, pat).expect(200);
    const leaked: DeviceAuthEventMap['token.leaked'][] = [];
    const revoked: DeviceAuthEventMap['personal_access_token.revoked'][] = [];
    const events = testApp.app.get(DeviceAuthEvents);
    const unsubscribe = events.on('token.leaked', (event) => void leaked.push(event));
    const unsubscribeRevoked = events.on('personal_access_token.revoked', (event) => void revoked.push(event));

    const url = 'https://github.com/alice/dotfiles/blob/main/.env';
    const answer = await report(testApp, [{ token: pat, type: 'nest_device_auth_pat', url, source: 'content' }]).expect(200);
    unsubscribe();
    unsubscribeRevoked();
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.body).toEqual([{ token_hash: sha256Hex(pat), token_type: 'nest_device_auth_pat', label: 'true_positive' }]);
    expect((await callMe(testApp, pat)).status).toBe(401);
    expect(leaked).toEqual([
      expect.objectContaining({
        kind: 'personal_access_token',
        userId: await testApp.userId('alice'),
        wasActive: true,
        url,
        source: 'content',
      }),
    ]);
    expect(revoked).toEqual([expect.objectContaining({ userId: await testApp.userId('alice'), reason: 'leaked' })]);
  });

  it('ends the grant of a reported refresh token, and calls values that are no token of ours false positives', async () => {
    const tokens = await deviceLogin(testApp);
    const lookalike = 'bpat_' + 'A'.repeat(36);
    const answer = await report(testApp, [
      { token: tokens.refresh_token, type: 'nest_device_auth_refresh_token' },
      { token: lookalike, type: 'nest_device_auth_pat' },
    ]).expect(200);
    expect(answer.body.map((verdict: { label: string }) => verdict.label)).toEqual(['true_positive', 'false_positive']);
    expectOAuthError(await refresh(testApp, tokens.refresh_token), 400, 'invalid_grant');
  });

  it('changes nothing for a forged, unsigned or unknown-key report: 401 and the token still works', async () => {
    const pat = await createPersonalAccessToken(testApp);
    const findings = [{ token: pat, type: 'nest_device_auth_pat' }];
    expectOAuthError(await report(testApp, findings, forger.privateKey), 401, 'invalid_request');
    expectOAuthError(await report(testApp, findings, github.privateKey, 'someone-else'), 401, 'invalid_request');
    const unsigned = await request(testApp.http).post(PATH).set('Content-Type', 'application/json').send(JSON.stringify(findings));
    expectOAuthError(unsigned, 401, 'invalid_request');
    // Signed, then altered: the signature covers the exact bytes.
    const signature = sign('sha256', Buffer.from(JSON.stringify(findings)), { key: github.privateKey, dsaEncoding: 'der' }).toString(
      'base64',
    );
    const altered = await request(testApp.http)
      .post(PATH)
      .set('Content-Type', 'application/json')
      .set('Github-Public-Key-Identifier', 'github-1')
      .set('Github-Public-Key-Signature', signature)
      .send(JSON.stringify([...findings, { token: 'bpat_other', type: 'x' }]));
    expectOAuthError(altered, 401, 'invalid_request');
    await callMe(testApp, pat).expect(200);
  });

  it('refuses a signed report that is not a list of findings with 400 invalid_request', async () => {
    expectOAuthError(await report(testApp, { token: 'x' } as unknown as Finding[]), 400, 'invalid_request');
    expectOAuthError(await report(testApp, [{ type: 'no token' } as Finding]), 400, 'invalid_request');
  });
});

describe('reporter keys published at a URL (as GitHub publishes its own)', () => {
  const rotated = reporterKeys();
  const published = { public_keys: [{ key_identifier: 'github-2', key: rotated.publicKey, is_current: true }] };
  const keysServer = createServer((_request, response) =>
    response.setHeader('Content-Type', 'application/json').end(JSON.stringify(published)),
  );
  let testApp: TestApp;
  beforeAll(async () => {
    await new Promise<void>((resolve) => keysServer.listen(0, '127.0.0.1', resolve));
    const keysUrl = `http://127.0.0.1:${(keysServer.address() as AddressInfo).port}/meta/public_keys/secret_scanning`;
    testApp = await bootTestApp({ deviceAuth: { secretScanning: { keysUrl } } });
  });
  afterAll(async () => {
    await testApp.close();
    await new Promise<void>((resolve) => keysServer.close(() => resolve()));
  });

  it('fetches the key a report names and verifies the report with it', async () => {
    const pat = await createPersonalAccessToken(testApp);
    const answer = await report(testApp, [{ token: pat, type: 'nest_device_auth_pat' }], rotated.privateKey, 'github-2').expect(200);
    expect(answer.body[0].label).toBe('true_positive');
    expect((await callMe(testApp, pat)).status).toBe(401);
  });
});

describe('without secretScanning', () => {
  const testApp = useTestApp();

  it('serves no endpoint (404)', async () => {
    await report(testApp, []).expect(404);
  });
});
