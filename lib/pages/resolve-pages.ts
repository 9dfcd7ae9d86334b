import type { Type } from '@nestjs/common';
import { DeviceAuthOptionsError } from '../errors/options.error';
import { DefaultDeviceAuthPages } from './default-device-auth-pages';
import { DEVICE_AUTH_PAGE_METHODS, type DeviceAuthPages } from './device-auth-pages';

/** A renderer class (Nest creates it with its dependencies) or a ready instance; either way with every page method. */
export function resolvePages(pages: unknown = DefaultDeviceAuthPages): Type<DeviceAuthPages> | DeviceAuthPages {
  const methods: unknown = typeof pages === 'function' ? pages.prototype : pages;
  if (methods === null || typeof methods !== 'object')
    throw new DeviceAuthOptionsError('pages', 'must be a class implementing DeviceAuthPages, or an instance of one');
  const missing = DEVICE_AUTH_PAGE_METHODS.filter((name) => typeof (methods as Record<string, unknown>)[name] !== 'function');
  if (missing.length > 0) throw new DeviceAuthOptionsError('pages', `lacks the DeviceAuthPages method(s) ${missing.join(', ')}`);
  return pages as Type<DeviceAuthPages> | DeviceAuthPages;
}
