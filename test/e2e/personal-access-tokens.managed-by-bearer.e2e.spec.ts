import request from 'supertest';
import { PersonalAccessTokenView } from '../../lib';
import { generateToken } from '../../lib/tokens/random-token';
import { parseChallenge } from './support/bearer';
import { callMe, deviceLogin, signedInBrowser } from './support/device-flow';
import {
  API,
  createToken,
  DAY,
  expectInvalidRequest,
  expectInvalidToken,
  listTokens,
  LISTINGS,
  storedRow,
} from './support/personal-access-tokens';
import { ISSUER, useTestApp } from './support/test-app';

describe('personal access tokens: managing them with a bearer token that carries tokens:manage', () => {
  const testApp = useTestApp();

  it('lets a device-flow token with tokens:manage create, list and revoke its user’s tokens', async () => {
    const cli = (await deviceLogin(testApp, 'alice', 'sample-cli', 'tokens:manage user:read listings:read')).access_token;
    const created = await createToken({ testApp, bearer: cli }, { name: 'from the CLI', scopes: ['listings:read'] });
    expect(created.token).toMatch(/^bpat_/);
    expect((await callMe(testApp, created.token, LISTINGS).expect(200)).body).toEqual([]);

    const listed = await request(testApp.http).get(API).set('Authorization', `Bearer ${cli}`).expect(200);
    expect(listed.body.map((view: PersonalAccessTokenView) => view.id)).toContain(created.id);
    // The same token is in the signed-in user's own listing: it is alice's.
    expect((await listTokens(await signedInBrowser(testApp, 'alice'))).map((view) => view.id)).toContain(created.id);

    await request(testApp.http).delete(`${API}/${created.id}`).set('Authorization', `Bearer ${cli}`).expect(204);
    expectInvalidToken(await callMe(testApp, created.token, LISTINGS));
  });

  it('refuses a token without tokens:manage: 403 insufficient_scope naming it, and creates nothing', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const before = (await listTokens(alice)).length;
    const readOnly = (await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read')).access_token;
    const bobsTeamCli = (await deviceLogin(testApp, 'bob', 'team-cli')).access_token;
    for (const bearer of [readOnly, bobsTeamCli]) {
      for (const response of [
        await request(testApp.http).get(API).set('Authorization', `Bearer ${bearer}`),
        await request(testApp.http)
          .post(API)
          .set('Authorization', `Bearer ${bearer}`)
          .send({ name: 'x', scopes: ['user:read'] }),
      ]) {
        expect(response.status).toBe(403);
        expect(parseChallenge(response.headers['www-authenticate']).params).toMatchObject({
          realm: ISSUER,
          error: 'insufficient_scope',
          scope: 'tokens:manage',
        });
      }
    }
    expect(await listTokens(alice)).toHaveLength(before);
  });

  it('never lets a bearer token create a PAT with a scope it does not carry itself', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const before = (await listTokens(alice)).length;
    const cli = (await deviceLogin(testApp, 'alice', 'sample-cli', 'tokens:manage user:read')).access_token;
    const refused = await request(testApp.http)
      .post(API)
      .set('Authorization', `Bearer ${cli}`)
      .send({ name: 'wider', scopes: ['user:read', 'listings:write'] });
    expectInvalidRequest(refused, /scopes it does not have: listings:write/);
    expect(await listTokens(alice)).toHaveLength(before);
    // Within its own scopes it may.
    await createToken({ testApp, bearer: cli }, { scopes: ['user:read'] });
  });

  it('lets a PAT with tokens:manage manage tokens, and that use shows on it like any other', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const manager = await createToken(alice, { name: 'token rotator', scopes: ['tokens:manage'] });
    const listed = await request(testApp.http).get(API).set('Authorization', `Bearer ${manager.token}`).expect(200);
    expect(listed.headers['token-expiration']).toBe(manager.expiresAt);
    expect((await storedRow(testApp, manager.id)).last_used_at).toBe(testApp.clock.now());
  });

  it('answers 401 invalid_token to a revoked, expired or forged bearer token, and 400 to a malformed header', async () => {
    const alice = await signedInBrowser(testApp, 'alice');
    const manager = await createToken(alice, { scopes: ['tokens:manage'], expiresInDays: 1 });
    await request(testApp.http).get(API).set('Authorization', `Bearer ${manager.token}`).expect(200);
    expectInvalidToken(
      await request(testApp.http)
        .get(API)
        .set('Authorization', `Bearer ${generateToken('bpat_')}`),
    );
    expectInvalidToken(await request(testApp.http).get(API).set('Authorization', 'Bearer not-a-token'));

    const revoked = await createToken(alice, { scopes: ['tokens:manage'] });
    await alice.delete(`${API}/${revoked.id}`).expect(204);
    expectInvalidToken(await request(testApp.http).get(API).set('Authorization', `Bearer ${revoked.token}`));

    testApp.clock.advance(DAY);
    expectInvalidToken(await request(testApp.http).get(API).set('Authorization', `Bearer ${manager.token}`));

    for (const header of ['Bearer', 'Basic YWxpY2U6YWxpY2UtcGFzc3dvcmQ=', `Bearer ${revoked.token} ${revoked.token}`]) {
      const response = await request(testApp.http).get(API).set('Authorization', header);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_request');
    }
  });
});
