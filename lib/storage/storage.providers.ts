import type { Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { DeviceAuthOptionsError } from '../errors/options.error';
import { DEVICE_AUTH_OPTIONS } from '../options/options.tokens';
import { DeviceAuthStores, STORE_CONTRACTS } from './device-auth-storage';
import { TypeOrmAuthorizationCodeStore } from './typeorm/authorization-code.store';
import { TypeOrmClientStore } from './typeorm/client.store';
import { TypeOrmDeviceAuthorizationStore } from './typeorm/device-authorization.store';
import { TypeOrmGrantStore } from './typeorm/grant.store';
import { TypeOrmPersonalAccessTokenStore } from './typeorm/personal-access-token.store';
import { TypeOrmSigningKeyStore } from './typeorm/signing-key.store';
import { SqliteJournalCheck } from './typeorm/sqlite-journal.check';
import { TypeOrmUnitOfWork } from './typeorm/unit-of-work';

/** The default of each store: TypeORM on the module's DataSource. */
const TYPEORM_STORES: { readonly [Name in keyof DeviceAuthStores]: Type<DeviceAuthStores[Name]> } = {
  deviceAuthorizations: TypeOrmDeviceAuthorizationStore,
  grants: TypeOrmGrantStore,
  authorizationCodes: TypeOrmAuthorizationCodeStore,
  personalAccessTokens: TypeOrmPersonalAccessTokenStore,
  clients: TypeOrmClientStore,
  keys: TypeOrmSigningKeyStore,
  unitOfWork: TypeOrmUnitOfWork,
};

/** The host's choice for one store, checked: a class, an instance, or nothing (TypeORM's then). */
function hostStore<Name extends keyof DeviceAuthStores>(
  options: ResolvedDeviceAuthOptions,
  name: Name,
): Type<DeviceAuthStores[Name]> | DeviceAuthStores[Name] | undefined {
  const unknown = Object.keys(options.storage).find((key) => !Object.hasOwn(STORE_CONTRACTS, key));
  if (unknown !== undefined) {
    throw new DeviceAuthOptionsError(
      'storage',
      `has an unknown store ${JSON.stringify(unknown)}; known: ${Object.keys(STORE_CONTRACTS).join(', ')}`,
    );
  }
  const chosen: unknown = options.storage[name];
  if (chosen === undefined || typeof chosen === 'function' || (typeof chosen === 'object' && chosen !== null)) {
    return chosen as Type<DeviceAuthStores[Name]> | DeviceAuthStores[Name] | undefined;
  }
  throw new DeviceAuthOptionsError(`storage.${name}`, `must be a class implementing ${STORE_CONTRACTS[name].name}, or an instance of one`);
}

function storeProvider<Name extends keyof DeviceAuthStores>(name: Name): Provider {
  return {
    provide: STORE_CONTRACTS[name],
    inject: [DEVICE_AUTH_OPTIONS, ModuleRef, TYPEORM_STORES[name]],
    useFactory: (options: ResolvedDeviceAuthOptions, moduleRef: ModuleRef, typeorm: DeviceAuthStores[Name]) => {
      const chosen = hostStore(options, name);
      if (chosen === undefined) return typeorm;
      return typeof chosen === 'function' ? moduleRef.create(chosen) : chosen;
    },
  };
}

/**
 * Each store under its contract (the token services inject): the host's from `storage`, else
 * TypeORM's. The TypeORM stores are created either way; they only hold the DataSource.
 */
export const STORAGE_PROVIDERS: Provider[] = [
  ...Object.values(TYPEORM_STORES),
  SqliteJournalCheck,
  ...(Object.keys(STORE_CONTRACTS) as (keyof DeviceAuthStores)[]).map(storeProvider),
];

/** What the module exports for hosts: each contract, so a host's code can use the stores in force. */
export const STORE_TOKENS = Object.values(STORE_CONTRACTS);
