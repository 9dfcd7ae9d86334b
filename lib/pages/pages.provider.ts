import type { Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { DEVICE_AUTH_OPTIONS } from '../options/options.tokens';
import { DEVICE_AUTH_PAGES, type DeviceAuthPages } from './device-auth-pages';

/** The `pages` option as DEVICE_AUTH_PAGES: a class is created by Nest, so its constructor may inject the host's providers. */
export const DEVICE_AUTH_PAGES_PROVIDER: Provider = {
  provide: DEVICE_AUTH_PAGES,
  inject: [DEVICE_AUTH_OPTIONS, ModuleRef],
  useFactory: (options: ResolvedDeviceAuthOptions, moduleRef: ModuleRef): DeviceAuthPages | Promise<DeviceAuthPages> => {
    // Checked against DeviceAuthPages when the options were resolved (resolvePages).
    const pages = options.pages as Type<DeviceAuthPages> | DeviceAuthPages;
    return typeof pages === 'function' ? moduleRef.create(pages) : pages;
  },
};
