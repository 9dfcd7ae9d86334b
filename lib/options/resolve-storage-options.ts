import type { DeviceAuthModuleOptions, ResolvedDeviceAuthOptions } from './device-auth-options.interface';
import { DeviceAuthOptionsError } from '../errors/options.error';

/**
 * The `storage` option, an object (each store is checked where it is provided). `dataSource` never
 * reaches here from forRoot, which reads it when the module is defined; from forRootAsync's factory
 * it would come too late to bind the tables, so it is refused rather than ignored.
 */
export function resolveStorage(options: DeviceAuthModuleOptions): ResolvedDeviceAuthOptions['storage'] {
  if (options.dataSource !== undefined) {
    throw new DeviceAuthOptionsError(
      'dataSource',
      'is read when the module is defined: pass it to forRootAsync beside useFactory, not from the factory',
    );
  }
  const storage: unknown = options.storage ?? {};
  if (typeof storage !== 'object' || storage === null || Array.isArray(storage)) {
    throw new DeviceAuthOptionsError('storage', 'must be an object of stores by name');
  }
  return storage as ResolvedDeviceAuthOptions['storage'];
}
