import { Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';

/**
 * Controllers whose path comes from the options (options.paths, the protected resource's
 * metadata addresses). Options may arrive through forRootAsync, after decorators ran, so each module
 * instance gets its own subclasses and stamps their paths once the options are resolved (providers
 * are built before Nest registers routes).
 */
export class RoutedControllers<Name extends string> {
  readonly classes: Type[];

  constructor(private readonly byName: Record<Name, Type>) {
    this.classes = Object.values(byName);
  }

  static create<Name extends string>(byName: Record<Name, Type>): RoutedControllers<Name> {
    const subclasses = Object.fromEntries(
      Object.entries<Type>(byName).map(([name, controller]) => [name, class extends controller {}]),
    ) as Record<Name, Type>;
    return new RoutedControllers(subclasses);
  }

  /** A controller given several paths (a list) answers at each of them. */
  bindPaths(paths: Record<Name, string | string[]>): void {
    for (const [name, controller] of Object.entries<Type>(this.byName)) {
      Reflect.defineMetadata(PATH_METADATA, paths[name as Name], controller);
    }
  }
}
