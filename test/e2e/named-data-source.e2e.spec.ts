import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEVICE_AUTH_ENTITIES, DEVICE_AUTH_MIGRATIONS } from '../../lib';
import { databaseOptionsFromUrl } from '../../sample-app/config';
import { callMe, deviceLogin, refresh } from './support/device-flow';
import { useTestApp, usesPostgres, withPostgres } from './support/test-app';

/** The host's second database, for the module's tables only: in-memory SQLite, or a PostgreSQL schema of its own. */
const authSchema = usesPostgres() ? `t_${process.pid}_auth_${randomUUID().slice(0, 8)}` : undefined;

/** A host that keeps its own tables in its default DataSource and gives the module one named "auth". */
const authDatabase = TypeOrmModule.forRoot({
  ...databaseOptionsFromUrl(usesPostgres() ? process.env.DATABASE_URL : 'sqlite::memory:', authSchema),
  name: 'auth',
  entities: DEVICE_AUTH_ENTITIES,
  migrations: DEVICE_AUTH_MIGRATIONS,
  migrationsRun: true,
  retryAttempts: 0,
});

async function hasTable(dataSource: DataSource, table: string): Promise<boolean> {
  const runner = dataSource.createQueryRunner();
  try {
    return await runner.hasTable(table);
  } finally {
    await runner.release();
  }
}

const countRows = async (dataSource: DataSource, table: string): Promise<number> =>
  Number((await dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

describe('the sample app with the module on a named DataSource (dataSource: "auth")', () => {
  if (authSchema !== undefined) {
    const databaseUrl = process.env.DATABASE_URL as string;
    beforeAll(() => withPostgres(databaseUrl, (client) => client.query(`CREATE SCHEMA ${authSchema}`)));
    afterAll(() => withPostgres(databaseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS ${authSchema} CASCADE`)));
  }
  const testApp = useTestApp({ imports: [authDatabase], deviceAuth: { dataSource: 'auth' } });

  it('runs the device flow end to end, with refresh, keeping every row in that DataSource', async () => {
    const tokens = await deviceLogin(testApp);
    await callMe(testApp, tokens.access_token).expect(200);
    const rotated = await refresh(testApp, tokens.refresh_token).expect(200);
    await callMe(testApp, rotated.body.access_token).expect(200);

    const auth = testApp.app.get<DataSource>(getDataSourceToken('auth'));
    expect(await countRows(auth, 'device_auth_device_authorizations')).toBe(1);
    expect(await countRows(auth, 'device_auth_grants')).toBe(1);
    // The first refresh token, spent, and its successor.
    expect(await countRows(auth, 'device_auth_refresh_tokens')).toBe(2);
    // The start-up checks stored the demo apps, the signing key, the server secret and the issuer there too.
    expect(await countRows(auth, 'device_auth_clients')).toBeGreaterThan(0);
    expect(await auth.query("SELECT kid FROM device_auth_signing_keys WHERE kid IN ('issuer', 'server-secret') ORDER BY kid")).toEqual([
      { kid: 'issuer' },
      { kid: 'server-secret' },
    ]);
  });

  it('leaves the host’s default DataSource without any of the module’s tables', async () => {
    const host = testApp.app.get(DataSource);
    expect(await hasTable(host, 'sample_users')).toBe(true);
    for (const table of ['device_auth_clients', 'device_auth_grants', 'device_auth_signing_keys'])
      expect(await hasTable(host, table)).toBe(false);
  });
});
