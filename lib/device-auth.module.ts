import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ASYNC_OPTIONS_TYPE, ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE } from './device-auth.module-definition';
import { PersonalAccessTokensPageController } from './pats/personal-access-tokens-page.controller';
import { PersonalAccessTokensController } from './pats/personal-access-tokens.controller';
import { PersonalAccessTokensService } from './pats/personal-access-tokens.service';
import { TokenOwners } from './guards/token-owner';
import { ExpiredRowsCleaner } from './cleanup/expired-rows.cleaner';
import { DeviceAuthEvents } from './events/device-auth-events';
import { AuthorizationController } from './authorization/authorization.controller';
import { AuthorizationService } from './authorization/authorization.service';
import { IdTokens } from './tokens/id-tokens.service';
import { UserinfoController } from './oidc/userinfo.controller';
import { GRANT_REGISTRY_PROVIDER } from './grants/grant-registry.provider';
import { BearerTokenGuard } from './guards/bearer-token.guard';
import { BearerStrategy } from './guards/bearer.strategy';
import { TokenVerifier } from './guards/token-verifier.service';
import { ClientAuthenticator } from './oauth/client-authenticator';
import { DeviceAuthorizationController } from './oauth/device-authorization.controller';
import { DeviceAuthorizationService } from './oauth/device-authorization.service';
import { IntrospectionController } from './oauth/introspection.controller';
import { RevocationController } from './oauth/revocation.controller';
import { JwksController } from './oauth/jwks.controller';
import { MetadataController } from './oauth/metadata.controller';
import { TokenController } from './oauth/token.controller';
import type { DeviceAuthModuleOptions, ResolvedDeviceAuthOptions } from './options/device-auth-options.interface';
import { DEVICE_AUTH_CLOCK } from './options/inject-clock.decorator';
import { DEVICE_AUTH_OPTIONS } from './options/options.tokens';
import { resolveOptions } from './resolve-options';
import { RoutedControllers } from './routed-controllers';
import { SecretScanningController } from './leaks/secret-scanning.controller';
import { SecretScanningKeys } from './leaks/secret-scanning-keys.service';
import { LeakedTokens } from './leaks/leaked-tokens.service';
import { RegistrationController } from './registration/registration.controller';
import { DynamicRegistrations } from './registration/dynamic-registrations.service';
import { ProtectedResourceController } from './oauth/protected-resource.controller';
import { protectedResourceMetadataPath } from './protocol/resource-urls';
import { ClientsService } from './clients/clients.service';
import { ClientMetadataDocuments } from './clients/metadata-documents/client-metadata-documents.service';
import { HttpResponses } from './pages/http-responses.service';
import { RefusedRequestFilter } from './filters/refused-request.filter';
import { PageNotFoundFilter } from './filters/page-not-found.filter';
import { DatabaseOutageFilter } from './filters/database-outage.filter';
import { DatabaseOutagePage } from './pages/database-outage-page';
import { PersonalAccessTokenUse } from './pats/personal-access-token-use';
import { PersonalAccessTokensEnabled } from './pats/personal-access-tokens-enabled.guard';
import { CsrfTokens } from './pages/csrf-tokens.service';
import { NewTokenReveal } from './pats/new-token-reveal';
import { DEVICE_AUTH_PAGES } from './pages/device-auth-pages';
import { DEVICE_AUTH_PAGES_PROVIDER } from './pages/pages.provider';
import { DerivedRefreshTokens } from './tokens/derived-refresh-tokens.service';
import { AccessTokens } from './tokens/access-token.service';
import { GrantRevocation } from './tokens/grant-revocation.service';
import { PresentedTokens } from './tokens/presented-token.service';
import { RevocationCache } from './tokens/revocation-cache.service';
import { ServerSecret } from './tokens/server-secret.service';
import { IssuerCheck } from './tokens/issuer.check';
import { SigningKeys } from './tokens/signing-keys.service';
import { TokenIssuer } from './tokens/token-issuer.service';
import { VerificationController } from './verification/verification.controller';
import { CacheInvalidation } from './cache/cache-invalidation.service';
import { RATE_LIMIT_STORAGE, RateLimits } from './limits/rate-limits.service';
import { rateLimitStorage } from './limits/rate-limit-storage';
import { RedisConnections } from './redis/redis-connections';
import { STORAGE_PROVIDERS, STORE_TOKENS } from './storage/storage.providers';
import { VerificationService } from './verification/verification.service';

const SERVICES: Provider[] = [
  ...STORAGE_PROVIDERS,
  ClientsService,
  ClientMetadataDocuments,
  HttpResponses,
  DEVICE_AUTH_PAGES_PROVIDER,
  PersonalAccessTokenUse,
  PersonalAccessTokensEnabled,
  CsrfTokens,
  NewTokenReveal,
  DatabaseOutagePage,
  // Not applied here: the host registers it app-wide (APP_FILTER or useGlobalFilters) for its own routes.
  DatabaseOutageFilter,
  AuthorizationService,
  IdTokens,
  ServerSecret,
  DerivedRefreshTokens,
  IssuerCheck,
  SigningKeys,
  AccessTokens,
  TokenIssuer,
  RevocationCache,
  GrantRevocation,
  PresentedTokens,
  ExpiredRowsCleaner,
  PersonalAccessTokensService,
  TokenOwners,
  ClientAuthenticator,
  DeviceAuthorizationService,
  VerificationService,
  RedisConnections,
  CacheInvalidation,
  RateLimits,
  SecretScanningKeys,
  LeakedTokens,
  DynamicRegistrations,
  { provide: RATE_LIMIT_STORAGE, useFactory: rateLimitStorage, inject: [DEVICE_AUTH_OPTIONS, RedisConnections] },
  TokenVerifier,
  BearerStrategy,
  BearerTokenGuard,
  // The built-in grants and the host's (`grants`), made by Nest; only those offered reach the token endpoint and the metadata.
  GRANT_REGISTRY_PROVIDER,
  {
    provide: DeviceAuthEvents,
    inject: [DEVICE_AUTH_OPTIONS],
    useFactory: (options: ResolvedDeviceAuthOptions) => {
      const events = new DeviceAuthEvents();
      events.subscribeAll(options.events);
      return events;
    },
  },
  { provide: DEVICE_AUTH_CLOCK, useFactory: (options: ResolvedDeviceAuthOptions) => options.clock, inject: [DEVICE_AUTH_OPTIONS] },
  // A browser lost under the pages' paths gets a 404 page; asked after RefusedRequestFilter, which passes it on.
  { provide: APP_FILTER, useClass: PageNotFoundFilter },
  // Bodies the platform refuses before routing reach only global filters: answered in each endpoint's format.
  { provide: APP_FILTER, useClass: RefusedRequestFilter },
];

/**
 * Makes the host an OAuth 2.0 authorization server for CLIs and headless clients:
 * `DeviceAuthModule.forRoot({ issuer, scopes, resolveUser })`, or `forRootAsync({ inject, useFactory })`.
 */
@Module({})
export class DeviceAuthModule extends ConfigurableModuleClass {
  static forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    return DeviceAuthModule.withRoutes(super.forRoot(options));
  }

  static forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return DeviceAuthModule.withRoutes(super.forRootAsync(options));
  }

  private static withRoutes(base: DynamicModule): DynamicModule {
    const routed = RoutedControllers.create({
      deviceAuthorization: DeviceAuthorizationController,
      token: TokenController,
      verification: VerificationController,
      authorization: AuthorizationController,
      userinfo: UserinfoController,
      revocation: RevocationController,
      introspection: IntrospectionController,
      personalAccessTokens: PersonalAccessTokensController,
      personalAccessTokensPage: PersonalAccessTokensPageController,
      protectedResource: ProtectedResourceController,
      secretScanning: SecretScanningController,
      registration: RegistrationController,
    });
    const resolvedOptions: Provider = {
      provide: DEVICE_AUTH_OPTIONS,
      inject: [MODULE_OPTIONS_TOKEN],
      useFactory: (options: DeviceAuthModuleOptions) => {
        const resolved = resolveOptions(options);
        routed.bindPaths({
          ...resolved.paths,
          protectedResource: resolved.protectedResource
            ? resolved.resources.map(({ resource }) => protectedResourceMetadataPath(resource))
            : protectedResourceMetadataPath(null),
        });
        return resolved;
      },
    };
    return {
      ...base,
      imports: [...(base.imports ?? []), PassportModule],
      controllers: [...routed.classes, MetadataController, JwksController],
      providers: [...(base.providers ?? []), resolvedOptions, ...SERVICES],
      // What index.ts exports for hosts (InjectDeviceAuthOptions injects DEVICE_AUTH_OPTIONS), plus
      // the internals BearerTokenGuard and DatabaseOutageFilter need where a host module instantiates them,
      // and the stores in force under their contracts (nest-device-auth/storage).
      exports: [
        DEVICE_AUTH_OPTIONS,
        DEVICE_AUTH_PAGES,
        ClientsService,
        BearerTokenGuard,
        TokenVerifier,
        PersonalAccessTokenUse,
        HttpResponses,
        DeviceAuthEvents,
        GrantRevocation,
        ExpiredRowsCleaner,
        PersonalAccessTokensService,
        DatabaseOutagePage,
        DatabaseOutageFilter,
        ...STORE_TOKENS,
      ],
    };
  }
}
