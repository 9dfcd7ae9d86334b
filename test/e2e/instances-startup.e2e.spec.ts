import request from 'supertest';
import { callMe, deviceLogin, startDeviceAuthorization } from './support/device-flow';
import { useSampleAppInstances } from './support/instances/sample-app-instances';
import { usesPostgres } from './support/test-app';

// Several instances share a database only on PostgreSQL; an SQLite file belongs to one process,
// and the in-memory SQLite of the other configurations to one app.
const describeOnPostgres = usesPostgres() ? describe : describe.skip;
// Real processes on the real clock: a test may wait out intervals and cache bounds, and a busy
// 2-core machine runs other suites next to these processes; Jest's 5 s default is too tight.
jest.setTimeout(30_000);

describeOnPostgres('two instances started at the same moment on an empty database', () => {
  const instances = useSampleAppInstances(2);
  const jwksOf = async (http: string) => (await request(http).get('/.well-known/jwks.json').expect(200)).body;

  it('both come up, run each migration once and share one signing key, one server secret and one recorded issuer', async () => {
    const [a, b] = instances.list;
    // The first requests reach both at once, so both want to create the key and the secret together.
    const [jwksA, jwksB] = await Promise.all([jwksOf(a.http), jwksOf(b.http), startDeviceAuthorization(a), startDeviceAuthorization(b)]);
    expect(jwksA.keys).toHaveLength(1);
    expect(jwksB).toEqual(jwksA);

    const keys = await instances.query<{ use: string; count: string }>(
      'SELECT use, COUNT(*) AS count FROM device_auth_signing_keys GROUP BY use ORDER BY use',
    );
    expect(keys).toEqual([
      { use: 'hmac', count: '1' },
      { use: 'issuer', count: '1' },
      { use: 'sig', count: '1' },
    ]);
    const migrations = await instances.query<{ name: string; count: string }>(
      'SELECT name, COUNT(*) AS count FROM migrations GROUP BY name',
    );
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.filter((migration) => migration.count !== '1')).toEqual([]);
    const users = await instances.query<{ count: string }>('SELECT COUNT(*) AS count FROM sample_users');
    expect(users).toEqual([{ count: '2' }]);
  });

  it('verifies on B a token minted by A, and on A one minted by B', async () => {
    const [a, b] = instances.list;
    const fromA = await deviceLogin(a);
    const fromB = await deviceLogin(b);
    expect((await callMe(b, fromA.access_token).expect(200)).body.username).toBe('alice');
    expect((await callMe(a, fromB.access_token).expect(200)).body.username).toBe('alice');
  });
});
