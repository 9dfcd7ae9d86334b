import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  BearerTokenGuard,
  ClientRegistrationError,
  ClientsService,
  DefaultDeviceAuthPages,
  DEVICE_AUTH_ENTITIES,
  DEVICE_AUTH_MIGRATIONS,
  DeviceAuthModule,
  DeviceAuthModuleOptions,
  PageContentSecurityPolicy,
} from '../../lib';

const database = TypeOrmModule.forRoot({
  type: 'better-sqlite3',
  database: ':memory:',
  entities: DEVICE_AUTH_ENTITIES,
  migrations: DEVICE_AUTH_MIGRATIONS,
  migrationsRun: true,
  retryAttempts: 0,
});

async function boot(options: DeviceAuthModuleOptions) {
  const moduleRef = await Test.createTestingModule({ imports: [database, DeviceAuthModule.forRoot(options)] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('DeviceAuthModule.forRoot in a minimal host', () => {
  it('refuses to start without an issuer, naming the option', async () => {
    await expect(boot({ resolveUser: () => null } as unknown as DeviceAuthModuleOptions)).rejects.toThrow(/option "issuer" is required/);
  });

  it('refuses to start without resolveUser, naming the option', async () => {
    await expect(boot({ issuer: 'http://localhost:4000' } as DeviceAuthModuleOptions)).rejects.toThrow(/option "resolveUser" is required/);
  });

  it("refuses to start with a renderer whose CSP sources would weaken the pages' policy, naming the option", async () => {
    class InlineStyledPages extends DefaultDeviceAuthPages {
      readonly contentSecurityPolicy = { styleSrc: ["'unsafe-inline'"] };
    }
    const options = { issuer: 'http://localhost:4000', resolveUser: () => null };
    await expect(boot({ ...options, pages: InlineStyledPages })).rejects.toThrow(
      /option "pages.contentSecurityPolicy.styleSrc" refuses "'unsafe-inline'"/,
    );
    // The type refuses it already; a host in plain JavaScript meets the start-up check.
    const framable = Object.assign(new DefaultDeviceAuthPages(), {
      contentSecurityPolicy: { frameAncestors: ['https://evil.example'] } as PageContentSecurityPolicy,
    });
    await expect(boot({ ...options, pages: framable })).rejects.toThrow(
      /option "pages.contentSecurityPolicy.frameAncestors" is not allowed/,
    );
  });

  it('refuses to start with a messages key that does not exist, naming the option', async () => {
    const messages = { 'confirm.titel': 'Allow?' } as DeviceAuthModuleOptions['messages'];
    await expect(boot({ issuer: 'http://localhost:4000', resolveUser: () => null, messages })).rejects.toThrow(
      /option "messages" has an unknown key "confirm.titel"/,
    );
  });

  it('refuses to register an app with a scope the host did not configure, even one named like an object member', async () => {
    const app = await boot({ issuer: 'http://localhost:4000', scopes: { read: 'Read things' }, resolveUser: () => null });
    try {
      const clients = app.get(ClientsService);
      for (const scope of ['write', 'toString', 'constructor', '__proto__']) {
        await expect(
          clients.register({
            name: 'CLI',
            type: 'public',
            mode: 'partner',
            grantTypes: ['urn:ietf:params:oauth:grant-type:device_code'],
            scopes: [scope],
          }),
        ).rejects.toThrow(ClientRegistrationError);
      }
    } finally {
      await app.close();
    }
  });

  it('binds a personal app to exactly one user: the owner is required for it and refused for a partner app', async () => {
    const app = await boot({ issuer: 'http://localhost:4000', scopes: { read: 'Read things' }, resolveUser: () => null });
    try {
      const clients = app.get(ClientsService);
      const base = {
        name: 'CLI',
        type: 'public' as const,
        grantTypes: ['urn:ietf:params:oauth:grant-type:device_code' as const],
        scopes: ['read'],
      };
      await expect(clients.register({ ...base, mode: 'personal' })).rejects.toThrow(/personal app needs ownerUserId/);
      await expect(clients.register({ ...base, mode: 'partner', ownerUserId: 'u1' })).rejects.toThrow(
        /ownerUserId is only for personal apps/,
      );
      await expect(clients.register({ ...base, mode: 'partner', grantTypes: ['client_credentials'] })).rejects.toThrow(
        /public client cannot use client_credentials/,
      );
      const { client, clientSecret } = await clients.register({ ...base, clientId: 'mine', mode: 'personal', ownerUserId: 'u1' });
      expect(client).toMatchObject({ clientId: 'mine', mode: 'personal', ownerUserId: 'u1' });
      expect(clientSecret).toBeUndefined();
      expect(await clients.findById('mine')).toMatchObject({ ownerUserId: 'u1', grantTypes: base.grantTypes, scopes: ['read'] });
      const confidential = await clients.register({ ...base, type: 'confidential', mode: 'partner' });
      expect(confidential.clientSecret).toMatch(/^bcs_/);
      expect(confidential.client.secretHash).not.toContain(confidential.clientSecret);
    } finally {
      await app.close();
    }
  });

  it('serves its endpoints on the paths the host chose', async () => {
    const app = await boot({
      issuer: 'http://localhost:4000',
      scopes: { read: 'Read things' },
      resolveUser: () => null,
      paths: { deviceAuthorization: '/auth/device/code', token: '/auth/device/token', verification: '/device' },
    });
    try {
      await app.get(ClientsService).register({
        clientId: 'cli',
        name: 'CLI',
        type: 'public',
        mode: 'partner',
        grantTypes: ['urn:ietf:params:oauth:grant-type:device_code'],
        scopes: ['read'],
      });
      const start = await request(app.getHttpServer()).post('/auth/device/code').type('form').send({ client_id: 'cli' }).expect(200);
      expect(start.body.verification_uri).toBe('http://localhost:4000/device');
      const poll = await request(app.getHttpServer())
        .post('/auth/device/token')
        .type('form')
        .send({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: 'cli', device_code: start.body.device_code })
        .expect(400);
      expect(poll.body.error).toBe('authorization_pending');
      await request(app.getHttpServer()).get('/device').expect(303);
      await request(app.getHttpServer()).post('/o/token/').type('form').send({}).expect(404);
      const metadata = await request(app.getHttpServer()).get('/.well-known/oauth-authorization-server').expect(200);
      expect(metadata.body.token_endpoint).toBe('http://localhost:4000/auth/device/token');
    } finally {
      await app.close();
    }
  });

  describe('isGlobal', () => {
    @Controller('api/probe')
    @UseGuards(BearerTokenGuard)
    class ProbeController {
      @Get()
      probe(): string {
        return 'ok';
      }
    }
    /** A host feature module that uses the guard without importing DeviceAuthModule. */
    @Module({ controllers: [ProbeController] })
    class FeatureModule {}
    const options = { issuer: 'http://localhost:4000', resolveUser: () => null };

    it('is global by default: any host module can use the guard', async () => {
      const moduleRef = await Test.createTestingModule({ imports: [database, DeviceAuthModule.forRoot(options), FeatureModule] }).compile();
      const app = moduleRef.createNestApplication({ logger: false });
      await app.init();
      try {
        await request(app.getHttpServer()).get('/api/probe').expect(401);
      } finally {
        await app.close();
      }
    });

    it('with isGlobal: false, only modules that import it can', async () => {
      const compiling = Test.createTestingModule({
        imports: [database, DeviceAuthModule.forRoot({ ...options, isGlobal: false }), FeatureModule],
      }).compile();
      await expect(compiling).rejects.toThrow(/BearerTokenGuard/);
    });
  });

  describe('an SQLite file database', () => {
    /** Boots on a fresh SQLite file and answers what the module warned about at start-up. */
    async function warningsOnFile(enableWAL: boolean): Promise<string[]> {
      const directory = mkdtempSync(join(tmpdir(), 'nest-device-auth-journal-'));
      const warnings: string[] = [];
      const logger = { log: () => {}, error: () => {}, warn: (message: unknown) => void warnings.push(String(message)) };
      const file = TypeOrmModule.forRoot({
        type: 'better-sqlite3',
        database: join(directory, 'host.sqlite'),
        enableWAL,
        entities: DEVICE_AUTH_ENTITIES,
        migrations: DEVICE_AUTH_MIGRATIONS,
        migrationsRun: true,
        retryAttempts: 0,
      });
      const moduleRef = await Test.createTestingModule({
        imports: [file, DeviceAuthModule.forRoot({ issuer: 'http://localhost:4000', resolveUser: () => null })],
      }).compile();
      const app = moduleRef.createNestApplication({ logger });
      try {
        await app.init();
      } finally {
        await app.close();
        rmSync(directory, { recursive: true, force: true });
      }
      return warnings;
    }

    it('warns at start-up when it is in rollback-journal mode, where every write syncs the disk', async () => {
      expect(await warningsOnFile(false)).toEqual([
        expect.stringMatching(/SQLite file database is in "delete" journal mode.*enableWAL: true/),
      ]);
    });

    it('says nothing in write-ahead-log mode', async () => {
      expect(await warningsOnFile(true)).toEqual([]);
    });
  });
});
