import { Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import type { DeviceAuthPaths } from './options/device-auth-options.interface';

/**
 * Controllers whose path comes from options.paths. Options may arrive through forRootAsync, after
 * decorators ran, so each module instance gets its own subclasses and stamps their paths once the
 * options are resolved (providers are built before Nest registers routes).
 */
export class RoutedControllers {
  readonly classes: Type[];

  constructor(private readonly byPath: Record<keyof DeviceAuthPaths, Type>) {
    this.classes = Object.values(byPath);
  }

  static create(byPath: Record<keyof DeviceAuthPaths, Type>): RoutedControllers {
    const subclasses = Object.fromEntries(
      Object.entries(byPath).map(([name, controller]) => [name, class extends controller {}]),
    ) as Record<keyof DeviceAuthPaths, Type>;
    return new RoutedControllers(subclasses);
  }

  bindPaths(paths: DeviceAuthPaths): void {
    for (const [name, controller] of Object.entries(this.byPath) as [keyof DeviceAuthPaths, Type][]) {
      Reflect.defineMetadata(PATH_METADATA, paths[name], controller);
    }
  }
}
