import type { DeviceAuthModuleOptions, ResolvedDeviceAuthOptions } from './options/device-auth-options.interface';
import { resolveOptionValues } from './options/resolve-options';
import { resolvePages } from './pages/resolve-pages';

/**
 * The options the module runs with: options/ applies the defaults and checks every value it can
 * judge alone; the page renderer, whose contract and default live in pages/, is checked here.
 */
export function resolveOptions(options: DeviceAuthModuleOptions): ResolvedDeviceAuthOptions {
  const resolved = resolveOptionValues(options);
  return { ...resolved, pages: resolvePages(options.pages) };
}
