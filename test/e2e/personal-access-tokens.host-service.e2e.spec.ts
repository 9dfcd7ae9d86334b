import { PersonalAccessTokenError, PersonalAccessTokensService } from '../../lib';
import { callMe } from './support/device-flow';
import { DAY, expectInvalidToken, iso } from './support/personal-access-tokens';
import { useTestApp } from './support/test-app';

describe('PersonalAccessTokensService, for host code', () => {
  const testApp = useTestApp();

  it('provisions a token programmatically; the guard accepts it; list and revoke work', async () => {
    const service = testApp.app.get(PersonalAccessTokensService);
    const aliceId = await testApp.userId('alice');
    const { token, view } = await service.create({ userId: aliceId, name: 'provisioned', scopes: ['user:read'], expiresInSeconds: 3600 });
    expect(token).toMatch(/^bpat_[0-9A-Za-z]{36}$/);
    expect(view).toMatchObject({
      name: 'provisioned',
      scopes: ['user:read'],
      expiresAt: iso(testApp.clock.now() + 3_600_000),
      status: 'active',
    });
    expect((await callMe(testApp, token).expect(200)).body).toMatchObject({ username: 'alice', tokenKind: 'pat' });

    expect((await service.list(aliceId)).map((listed) => listed.id)).toEqual([view.id]);
    expect(await service.list(await testApp.userId('bob'))).toEqual([]);

    expect(await service.revoke(await testApp.userId('bob'), view.id)).toBe(false);
    await callMe(testApp, token).expect(200);
    expect(await service.revoke(aliceId, view.id)).toBe(true);
    expectInvalidToken(await callMe(testApp, token));
  });

  it.each<[string, (ids: { alice: string; bob: string }) => Parameters<PersonalAccessTokensService['create']>[0]]>([
    ['an unknown scope', ({ alice }) => ({ userId: alice, name: 'x', scopes: ['admin'] })],
    ['a sign-in scope', ({ alice }) => ({ userId: alice, name: 'x', scopes: ['user:read', 'offline_access'] })],
    ['no scopes', ({ alice }) => ({ userId: alice, name: 'x', scopes: [] })],
    ['scopes that are not a list', ({ alice }) => ({ userId: alice, name: 'x', scopes: 'user:read' as unknown as string[] })],
    ['an empty name', ({ alice }) => ({ userId: alice, name: ' ', scopes: ['user:read'] })],
    ['a lifetime above the maximum', ({ alice }) => ({ userId: alice, name: 'x', scopes: ['user:read'], expiresInSeconds: 367 * DAY })],
    ['a fractional lifetime', ({ alice }) => ({ userId: alice, name: 'x', scopes: ['user:read'], expiresInSeconds: 1.5 })],
    ['no expiry where it is not allowed', ({ alice }) => ({ userId: alice, name: 'x', scopes: ['user:read'], expiresInSeconds: null })],
    ['another user’s personal app', ({ bob }) => ({ userId: bob, name: 'x', scopes: ['user:read'], clientId: 'sample-cli' })],
  ])('refuses %s with a PersonalAccessTokenError, and stores nothing', async (_, input) => {
    const service = testApp.app.get(PersonalAccessTokensService);
    const ids = { alice: await testApp.userId('alice'), bob: await testApp.userId('bob') };
    const before = [...(await service.list(ids.alice)), ...(await service.list(ids.bob))].length;
    await expect(service.create(input(ids))).rejects.toBeInstanceOf(PersonalAccessTokenError);
    expect([...(await service.list(ids.alice)), ...(await service.list(ids.bob))]).toHaveLength(before);
  });
});
