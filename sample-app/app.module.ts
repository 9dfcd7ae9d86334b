import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import {
  DatabaseOutageFilter,
  DEVICE_AUTH_ENTITIES,
  DEVICE_AUTH_MESSAGES_DE,
  DEVICE_AUTH_MIGRATIONS,
  DeviceAuthModule,
  messagesByLanguage,
  runMigrationsExclusively,
} from '../lib';
import { AGENT_API_PATH } from './agent-api/agent-api.controller';
import { AgentApiModule } from './agent-api/agent-api.module';
import { AppClockModule } from './clock/app-clock.module';
import { SampleAppConfig, databaseOptionsFromUrl, redisOptionsFromUrl } from './config';
import { Listing } from './listings/listing.entity';
import { ListingsModule } from './listings/listings.module';
import { SAMPLE_MIGRATIONS } from './migrations';
import { PagesModule } from './pages/pages.module';
import { RefusedFormFilter } from './pages/refused-form.filter';
import { ProfileModule } from './profile/profile.module';
import { SAMPLE_SCOPES, TOKEN_MANAGEMENT_SCOPE } from './sample-scopes';
import { SeedModule } from './seed/seed.module';
import { SessionModule } from './sessions/session.module';
import { SessionService } from './sessions/session.service';
import { User } from './users/user.entity';
import { USER_CLAIM_NAMES, userClaims } from './users/user-claims';
import { UsersModule } from './users/users.module';
import { UsersService } from './users/users.service';

/** The sample host: its own users, sessions and listings, with DeviceAuthModule for CLI sign-in. */
@Module({})
export class AppModule {
  static register(config: SampleAppConfig): DynamicModule {
    // With `dataSource`, the module's tables live in that DataSource (the host registers it), not in the sample's.
    const { dataSource: deviceAuthDataSource, ...deviceAuth } = config.deviceAuth ?? {};
    const deviceAuthTables = deviceAuthDataSource === undefined;
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...databaseOptionsFromUrl(config.databaseUrl, config.postgresSchema, config.databaseTimeouts),
            entities: [...(deviceAuthTables ? DEVICE_AUTH_ENTITIES : []), User, Listing],
            migrations: [...(deviceAuthTables ? DEVICE_AUTH_MIGRATIONS : []), ...SAMPLE_MIGRATIONS],
            synchronize: false,
            // Fail at once with the real error instead of retrying for half a minute.
            retryAttempts: 0,
          }),
          // Instances started together on an empty PostgreSQL database take turns migrating it.
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options as DataSourceOptions).initialize();
            await runMigrationsExclusively(dataSource);
            return dataSource;
          },
        }),
        SessionModule.register(config.issuer),
        DeviceAuthModule.forRootAsync({
          // Read when the module is defined, so beside useFactory rather than from it.
          dataSource: deviceAuthDataSource,
          imports: [UsersModule],
          inject: [SessionService, UsersService],
          useFactory: (sessions: SessionService, users: UsersService) => ({
            redis: redisOptionsFromUrl(config.redisUrl, config.redisKeyPrefix),
            resources: [{ resource: config.issuer + AGENT_API_PATH, resourceName: 'Sample agent API' }],
            // The module's pages in German for browsers that prefer it; the sample's own pages follow them.
            messages: messagesByLanguage({ de: DEVICE_AUTH_MESSAGES_DE }),
            ...deviceAuth,
            issuer: config.issuer,
            scopes: SAMPLE_SCOPES,
            // PAT options from config.deviceAuth (a test's lifetimes, cache, prefix… or false) are kept, not replaced.
            personalAccessTokens:
              deviceAuth.personalAccessTokens === false
                ? false
                : { managementScope: TOKEN_MANAGEMENT_SCOPE, ...deviceAuth.personalAccessTokens },
            resolveUser: (req) => sessions.userFromRequest(req),
            loginUrl: (returnTo) => `/login?next=${encodeURIComponent(returnTo)}`,
            logoutUrl: (returnTo) => `/logout?next=${encodeURIComponent(returnTo)}`,
            resolveClaims: async (userId, scopes) => {
              const user = await users.findById(userId);
              return user ? userClaims(user, scopes) : {};
            },
            claimsSupported: USER_CLAIM_NAMES,
            clock: config.clock,
          }),
        }),
        AppClockModule.register(config.clock),
        PagesModule,
        ProfileModule,
        ListingsModule,
        AgentApiModule,
        SeedModule,
      ],
      providers: [
        // Declared here, before DeviceAuthModule's own global filter, so that one sees refusals first
        // (Nest asks the global filters last-registered first) and passes the host's on to this one.
        { provide: APP_FILTER, useClass: RefusedFormFilter },
        // A database outage in the host's own routes (/api/v1/me, /api/v1/listings, the home page) is a
        // 503 with Retry-After, as on the module's endpoints, not a 500; every other error passes on.
        { provide: APP_FILTER, useClass: DatabaseOutageFilter },
      ],
    };
  }
}
