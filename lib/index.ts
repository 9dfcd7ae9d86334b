export { DeviceAuthModule } from './device-auth.module';
export type {
  AccessTokenOptions,
  AuthorizationCodeOptions,
  CleanupOptions,
  ClientIdMetadataDocumentOptions,
  DeviceAuthModuleOptions,
  PersonalAccessTokenOptions,
  DeviceAuthPaths,
  DeviceAuthUser,
  DeviceCodeOptions,
  DynamicRegistrationOptions,
  InitialAccessTokenCheck,
  JsonWebKeyWithKid,
  ProtectedResourceOptions,
  AdditionalResourceOptions,
  RateLimit,
  RateLimitOptions,
  RedisOptions,
  RefreshTokenOptions,
  ResolvedDeviceAuthOptions,
  ScopeDescriptionText,
  TokenExchangeOptions,
  TokenExchangeRequest,
  WorkloadClaims,
  WorkloadIdentityOptions,
  WorkloadIssuerOptions,
  WorkloadPrincipal,
  WorkloadSubjects,
} from './options/device-auth-options.interface';
export { InjectDeviceAuthOptions } from './options/inject-options.decorator';
export { DeviceAuthOptionsError } from './errors/options.error';
export type { Clock } from './clock';
export type { DeviceAuthRequest } from './protocol/device-auth-request';
export { isFormBody } from './protocol/media-type';
export { protectedResourceMetadataUrl } from './protocol/resource-urls';

export {
  AuthorizationCode,
  DEVICE_AUTH_ENTITIES,
  DeviceAuthorization,
  Grant,
  OAuthClient,
  PersonalAccessToken,
  RefreshToken,
  SigningKey,
} from './entities';
export type { ClientMode, ClientType, DeviceAuthorizationStatus, GrantRevocationReason } from './entities';
export { DEVICE_AUTH_MIGRATIONS } from './migrations';
export { runMigrationsExclusively } from './migrations/run-migrations';

export { ClientsService } from './clients/clients.service';
export { ClientRegistrationError } from './errors/client-registration.error';
export type { RegisterClientInput, RegisteredClient } from './clients/clients.service';
export {
  AUTHORIZATION_CODE_GRANT_TYPE,
  CLIENT_CREDENTIALS_GRANT_TYPE,
  DEVICE_CODE_GRANT_TYPE,
  REFRESH_TOKEN_GRANT_TYPE,
  TOKEN_EXCHANGE_GRANT_TYPE,
} from './protocol/grant-types';
export type { GrantType, SwitchedGrantType } from './protocol/grant-types';
export { JWT_BEARER_GRANT_TYPE } from './grants/jwt-bearer.grant';
export type { TokenGrant, TokenRequest } from './grants/token-grant.interface';
// What a host's grant issues tokens with (docs/custom-grants.md).
export { TokenIssuer } from './tokens/token-issuer.service';
export type { Approval } from './tokens/token-issuer.service';
export type { TokenResponse } from './protocol/token-response';

export { BearerTokenGuard } from './guards/bearer-token.guard';
export { TokenVerifier } from './guards/token-verifier.service';
export { BEARER_STRATEGY_NAME, BearerStrategy } from './guards/bearer.strategy';
export type { AppPrincipal, Principal, UserPrincipal } from './tokens/principal';
export type { TokenActor } from './tokens/access-token.service';
export { Scopes } from './decorators/scopes.decorator';
export { AllowAppTokens } from './decorators/allow-app-tokens.decorator';
export { ForResource } from './decorators/for-resource.decorator';
export { DeviceAuthPrincipal } from './guards/device-auth-principal.decorator';
export { OAuthError } from './errors/oauth.error';
export { isRefusedByPlatform } from './filters/refused-request.filter';
export { DatabaseOutageFilter } from './filters/database-outage.filter';
export { DeviceAuthEvents } from './events/device-auth-events';
export type {
  DeviceAuthEventCallbacks,
  DeviceAuthEventListener,
  DeviceAuthEventMap,
  DeviceAuthEventName,
} from './events/device-auth-events';
export { GrantRevocation } from './tokens/grant-revocation.service';
export { ExpiredRowsCleaner } from './cleanup/expired-rows.cleaner';
export { PersonalAccessTokensService } from './pats/personal-access-tokens.service';
export { PersonalAccessTokenError } from './errors/personal-access-token.error';
export type { PersonalAccessTokenRefusal } from './errors/personal-access-token-refusal';
export type { CreatePersonalAccessTokenInput } from './pats/personal-access-tokens.service';
export type { PersonalAccessTokenView } from './pages/device-auth-pages';
export { TOKEN_EXPIRATION_HEADER } from './pats/personal-access-token-use';
export type { PurgeCounts } from './cleanup/expired-rows.cleaner';
export type { OAuthErrorCode } from './protocol/oauth-error';

export { DEVICE_AUTH_PAGES } from './pages/device-auth-pages';
export type {
  ApprovalView,
  ConfirmView,
  ConsentView,
  DecisionForm,
  DeviceAuthPages,
  EnterCodeView,
  MessageView,
  PageContentSecurityPolicy,
  PageView,
  PersonalAccessTokenFormValues,
  PersonalAccessTokensView,
  ResultView,
  ScopeDescription,
  SignedInPageView,
  WrongAccountView,
} from './pages/device-auth-pages';
export { DefaultDeviceAuthPages } from './pages/default-device-auth-pages';
export type { DeviceAuthMessages, DeviceAuthMessagesOption } from './messages/messages';
export { DEVICE_AUTH_MESSAGES_EN } from './messages/messages.en';
export { DEVICE_AUTH_MESSAGES_DE } from './messages/messages.de';
export { messagesByLanguage } from './pages/accept-language';
// The default pages' shell and stylesheet (allowed by hash in a policy), for a host's own pages such as its sign-in form.
export { DEFAULT_STYLESHEET_SOURCE, escapeHtml, layout as defaultPageLayout } from './pages/html';
