import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DEVICE_AUTH_ENTITIES, DEVICE_AUTH_MIGRATIONS, DeviceAuthModule, OAuthClient } from '../../lib';
import { ClientStore, UnitOfWork } from '../../lib/storage';
import { TypeOrmUnitOfWork } from '../../lib/storage/typeorm/unit-of-work';
import { callMe, deviceLogin } from './support/device-flow';
import { useTestApp } from './support/test-app';

/** A host's store of apps kept in memory: what a host with another database writes for each store it replaces. */
class InMemoryClientStore implements ClientStore {
  readonly rows = new Map<string, OAuthClient>();

  async findById(clientId: string): Promise<OAuthClient | null> {
    return this.rows.get(clientId) ?? null;
  }

  async insert(client: OAuthClient): Promise<void> {
    if (this.rows.has(client.clientId)) throw new Error(`client ${client.clientId} exists`);
    this.rows.set(client.clientId, client);
  }
}

/** A host's unit of work, created by Nest with its dependencies: it counts units and runs them in TypeORM's transactions. */
@Injectable()
class CountingUnitOfWork implements UnitOfWork {
  units = 0;

  constructor(private readonly transactions: TypeOrmUnitOfWork) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    this.units++;
    return this.transactions.run(work);
  }
}

describe('stores a host replaces through the storage option', () => {
  const clients = new InMemoryClientStore();
  const testApp = useTestApp({ deviceAuth: { storage: { clients, unitOfWork: CountingUnitOfWork } } });

  it('keep the apps in the host’s store: the sample’s apps are registered there, and the device flow finds them', async () => {
    expect([...clients.rows.keys()]).toEqual(expect.arrayContaining(['sample-cli', 'team-cli']));
    const tokens = await deviceLogin(testApp);
    await callMe(testApp, tokens.access_token).expect(200);
    expect(Number((await testApp.app.get(DataSource).query('SELECT COUNT(*) AS n FROM device_auth_clients'))[0].n)).toBe(0);
    expect(testApp.app.get(ClientStore)).toBe(clients);
  });

  it('make a device code’s exchange one unit of the host’s unit of work', async () => {
    const units = testApp.app.get(UnitOfWork) as CountingUnitOfWork;
    expect(units).toBeInstanceOf(CountingUnitOfWork);
    const before = units.units;
    await deviceLogin(testApp);
    expect(units.units).toBe(before + 1);
  });
});

describe('a storage option naming a store that does not exist', () => {
  it('stops start-up, naming the option and the stores there are', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({
          type: 'better-sqlite3',
          database: ':memory:',
          entities: DEVICE_AUTH_ENTITIES,
          migrations: DEVICE_AUTH_MIGRATIONS,
          migrationsRun: true,
        }),
        DeviceAuthModule.forRoot({
          issuer: 'http://localhost:4000',
          resolveUser: () => null,
          storage: { refreshTokens: new InMemoryClientStore() } as never,
        }),
      ],
    })
      .compile()
      .catch((error: unknown) => error);
    expect(String(moduleRef)).toMatch(/option "storage" has an unknown store "refreshTokens"; known: deviceAuthorizations, grants/);
  });
});
