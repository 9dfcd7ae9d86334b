import type { Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { HostProvided, ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { DEVICE_AUTH_OPTIONS } from '../options/options.tokens';
import { BUILT_IN_GRANTS } from './built-in-grants';
import { GrantRegistry } from './grant-registry';
import type { TokenGrant } from './token-grant.interface';

/** A class is created by Nest in this module, so its constructor may inject the module's services and the host's global ones. */
// What comes out is checked against TokenGrant by the registry.
const created = (moduleRef: ModuleRef, grant: HostProvided): TokenGrant | Promise<TokenGrant> =>
  typeof grant === 'function' ? moduleRef.create(grant as Type<TokenGrant>) : (grant as TokenGrant);

/** The registry of the built-in grants and the host's `grants`, made and checked at start-up. */
export const GRANT_REGISTRY_PROVIDER: Provider = {
  provide: GrantRegistry,
  inject: [DEVICE_AUTH_OPTIONS, ModuleRef],
  useFactory: async (options: ResolvedDeviceAuthOptions, moduleRef: ModuleRef): Promise<GrantRegistry> =>
    new GrantRegistry(await Promise.all([...BUILT_IN_GRANTS, ...options.grants].map((grant) => created(moduleRef, grant)))),
};
