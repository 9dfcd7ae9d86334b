import { DeviceAuthEventMap, DeviceAuthEvents, ExpiredRowsCleaner } from '../../lib';
import { signedInBrowser } from './support/device-flow';
import { useTestApp } from './support/test-app';

const DAY_SECONDS = 24 * 3600;

describe('PAT lifecycle events a host turns into emails', () => {
  const testApp = useTestApp();

  /** Collects one event's payloads until the returned stop() is called. */
  function collect<E extends keyof DeviceAuthEventMap>(event: E): { seen: DeviceAuthEventMap[E][]; stop: () => void } {
    const seen: DeviceAuthEventMap[E][] = [];
    const stop = testApp.app.get(DeviceAuthEvents).on(event, (payload) => void seen.push(payload));
    return { seen, stop };
  }

  async function createToken(name: string, expiresInDays: number): Promise<{ id: string }> {
    const alice = await signedInBrowser(testApp, 'alice');
    return (
      await alice
        .post('/o/personal-access-tokens')
        .send({ name, scopes: ['user:read'], expiresInDays })
        .expect(201)
    ).body;
  }

  const purge = () => testApp.app.get(ExpiredRowsCleaner).purge();

  it('warns once a week before expiry and once the day before, never twice for one threshold', async () => {
    const created = await createToken('nightly backup', 10);
    const { seen, stop } = collect('personal_access_token.expiring');
    await purge();
    expect(seen).toEqual([]);

    testApp.clock.advance(3 * DAY_SECONDS); // 7 days left
    expect((await purge()).expiryWarnings).toBe(1);
    await purge();
    testApp.clock.advance(6 * DAY_SECONDS); // 1 day left
    await purge();
    await purge();
    stop();
    expect(seen.map(({ tokenId, name, days }) => ({ tokenId, name, days }))).toEqual([
      { tokenId: created.id, name: 'nightly backup', days: 7 },
      { tokenId: created.id, name: 'nightly backup', days: 1 },
    ]);
    expect(seen[0].userId).toBe(await testApp.userId('alice'));
  });

  it('sends one warning, the nearest, for a token that is already close to its end', async () => {
    const created = await createToken('one-day script', 1);
    const { seen, stop } = collect('personal_access_token.expiring');
    await purge();
    stop();
    expect(seen.filter((event) => event.tokenId === created.id).map((event) => event.days)).toEqual([1]);
  });

  it('tells the owner when a token is revoked', async () => {
    const created = await createToken('deploy', 30);
    const { seen, stop } = collect('personal_access_token.revoked');
    const alice = await signedInBrowser(testApp, 'alice');
    await alice.delete(`/o/personal-access-tokens/${created.id}`).expect(204);
    await alice.delete(`/o/personal-access-tokens/${created.id}`).expect(404);
    stop();
    expect(seen).toEqual([{ tokenId: created.id, userId: await testApp.userId('alice'), reason: 'revoked' }]);
  });
});
