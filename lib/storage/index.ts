// nest-device-auth/storage: the store contracts a host implements to keep the module's state
// elsewhere than TypeORM (the `storage` option), and injects to reach the stores in force.
export { AuthorizationCodeStore } from './authorization-code.store';
export { ClientStore } from './client.store';
export { DeviceAuthorizationStore } from './device-authorization.store';
export type { PendingPoll } from './device-authorization.store';
export { GrantStore, isLiveRefreshToken } from './grant.store';
export { LAST_USED_RESOLUTION_MS, PersonalAccessTokenStore } from './personal-access-token.store';
export { SigningKeyStore } from './signing-key.store';
export type { GeneratedSigningKey } from './signing-key.store';
export { UnitOfWork } from './unit-of-work';
export type { DeviceAuthStorageOption, DeviceAuthStores } from './device-auth-storage';
