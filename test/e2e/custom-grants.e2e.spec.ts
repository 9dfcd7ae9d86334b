import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import request from 'supertest';
import {
  ClientsService,
  DEVICE_AUTH_ENTITIES,
  DEVICE_AUTH_MIGRATIONS,
  DeviceAuthModule,
  DeviceAuthModuleOptions,
  OAuthError,
  TokenGrant,
  TokenIssuer,
  TokenRequest,
  TokenResponse,
} from '../../lib';
import { UsersService } from '../../sample-app/users/users.service';
import { callMe } from './support/device-flow';
import { expectOAuthError } from './support/oauth-responses';
import { useTestApp } from './support/test-app';

const MAGIC = 'urn:example:grant:magic';

/**
 * A host's own grant, in one file: a user who says the magic word gets a token. It injects the
 * module's TokenIssuer and the host's UsersService, as any provider would.
 */
@Injectable()
class MagicWordGrant implements TokenGrant {
  readonly grantType = MAGIC;
  readonly parameters = ['username', 'magic_word'];
  readonly clientTypes = ['public'] as const;
  readonly issuesRefreshTokens = false;
  readonly needsUser = true;

  constructor(
    private readonly tokens: TokenIssuer,
    private readonly users: UsersService,
  ) {}

  async handle({ client, parameters }: TokenRequest): Promise<TokenResponse> {
    const user = await this.users.findByUsername(parameters.username ?? '');
    if (user === null || parameters.magic_word !== 'please') throw new OAuthError('invalid_grant', 'Say the magic word');
    return this.tokens.issueUserToken(client, { userId: user.id, scope: 'user:read', resource: null }, this.grantType);
  }
}

/** "A new grant is one file and one line": the host registers its grant through the path the built-in ones use. */
describe("a host's own grant, registered with the grants option", () => {
  // The one line.
  const testApp = useTestApp({ deviceAuth: { grants: [MagicWordGrant] } });

  beforeAll(async () => {
    await testApp.app
      .get(ClientsService)
      .register({ clientId: 'magic-cli', name: 'Magic CLI', type: 'public', mode: 'partner', grantTypes: [MAGIC], scopes: ['user:read'] });
  });

  const magic = (form: Record<string, string>) =>
    request(testApp.http)
      .post('/o/token/')
      .type('form')
      .send({ grant_type: MAGIC, client_id: 'magic-cli', ...form });

  it('is listed in the metadata after the built-in grants', async () => {
    const { body } = await request(testApp.http).get('/.well-known/oauth-authorization-server').expect(200);
    expect(body.grant_types_supported).toEqual([
      'urn:ietf:params:oauth:grant-type:device_code',
      'refresh_token',
      'client_credentials',
      'authorization_code',
      MAGIC,
    ]);
  });

  it('gets the token requests of its grant type, and its token works like any other', async () => {
    const response = await magic({ username: 'alice', magic_word: 'please' }).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect((await callMe(testApp, response.body.access_token).expect(200)).body).toMatchObject({
      username: 'alice',
      clientId: 'magic-cli',
    });
    expectOAuthError(await magic({ username: 'alice', magic_word: 'abracadabra' }), 400, 'invalid_grant');
  });

  it('has its client rules applied at registration (public only) and at the token endpoint (registered apps only)', async () => {
    const clients = testApp.app.get(ClientsService);
    await expect(
      clients.register({ name: 'Server', type: 'confidential', mode: 'partner', grantTypes: [MAGIC], scopes: ['user:read'] }),
    ).rejects.toThrow(/a confidential client cannot use urn:example:grant:magic/);
    expectOAuthError(await magic({ client_id: 'sample-cli', username: 'alice', magic_word: 'please' }), 400, 'unauthorized_client');
  });
});

describe('grants the module refuses at start-up, naming the option', () => {
  const boot = async (options: Partial<DeviceAuthModuleOptions>) => {
    const database = TypeOrmModule.forRoot({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: DEVICE_AUTH_ENTITIES,
      migrations: DEVICE_AUTH_MIGRATIONS,
      migrationsRun: true,
      retryAttempts: 0,
    });
    const module = DeviceAuthModule.forRoot({ issuer: 'http://localhost:4000', resolveUser: () => null, ...options });
    const app = (await Test.createTestingModule({ imports: [database, module] }).compile()).createNestApplication({ logger: false });
    await app.init();
    await app.close();
  };
  const grant = (grantType: string, clientTypes: string[] = ['public']) =>
    ({
      grantType,
      parameters: [],
      clientTypes,
      issuesRefreshTokens: false,
      needsUser: false,
      handle: () => Promise.reject(new Error()),
    }) as TokenGrant;

  it.each([
    ['a second grant of a built-in type', grant('refresh_token'), /option "grants" registers the grant type "refresh_token" twice/],
    ['a grant type with a comma', grant('urn:a,b'), /option "grants" has a grant with an invalid grantType/],
    ['a grant without client types', grant('urn:example:grant:x', []), /option "grants" has "urn:example:grant:x" without clientTypes/],
    ['something that is no grant', { grantType: 'urn:example:grant:y' } as TokenGrant, /option "grants" must list TokenGrant classes/],
  ])('refuses %s', async (_case, refused, message) => {
    await expect(boot({ grants: [refused] })).rejects.toThrow(message);
  });
});
