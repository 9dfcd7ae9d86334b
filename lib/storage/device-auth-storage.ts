import type { Type } from '@nestjs/common';
import { AuthorizationCodeStore } from './authorization-code.store';
import { ClientStore } from './client.store';
import { DeviceAuthorizationStore } from './device-authorization.store';
import { GrantStore } from './grant.store';
import { PersonalAccessTokenStore } from './personal-access-token.store';
import { SigningKeyStore } from './signing-key.store';
import { UnitOfWork } from './unit-of-work';

/** Every store of the module, by the name the `storage` option gives it. */
export interface DeviceAuthStores {
  deviceAuthorizations: DeviceAuthorizationStore;
  grants: GrantStore;
  authorizationCodes: AuthorizationCodeStore;
  personalAccessTokens: PersonalAccessTokenStore;
  clients: ClientStore;
  keys: SigningKeyStore;
  unitOfWork: UnitOfWork;
}

/**
 * The `storage` option: for each store a host replaces, a class implementing its contract (Nest
 * creates it with its constructor's dependencies) or a ready instance. Unnamed ones stay TypeORM's.
 */
export type DeviceAuthStorageOption = { [Name in keyof DeviceAuthStores]?: Type<DeviceAuthStores[Name]> | DeviceAuthStores[Name] };

/** Each store's contract, which is also its injection token. */
export const STORE_CONTRACTS: { readonly [Name in keyof DeviceAuthStores]: abstract new () => DeviceAuthStores[Name] } = {
  deviceAuthorizations: DeviceAuthorizationStore,
  grants: GrantStore,
  authorizationCodes: AuthorizationCodeStore,
  personalAccessTokens: PersonalAccessTokenStore,
  clients: ClientStore,
  keys: SigningKeyStore,
  unitOfWork: UnitOfWork,
};
