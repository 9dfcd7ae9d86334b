import { ConfigurableModuleBuilder } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DEVICE_AUTH_ENTITIES } from './entities';
import type { DeviceAuthModuleOptions } from './options/device-auth-options.interface';
import { DEVICE_AUTH_DATA_SOURCE } from './storage/typeorm/data-source.token';

/** What is read when the module is defined, beside the options (in forRootAsync, beside useFactory). */
interface DeviceAuthModuleExtras {
  isGlobal: boolean;
  dataSource: string | undefined;
}

/**
 * forRoot / forRootAsync come from the builder; the raw options land under MODULE_OPTIONS_TOKEN.
 * `isGlobal` (default true) sits beside the options, as in @nestjs/config: a host imports the module
 * once and uses the guard and services everywhere; false keeps them to modules that import it.
 * `dataSource` too, as @nestjs/typeorm's own `name`: the entities are bound to that DataSource here.
 */
export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<DeviceAuthModuleOptions>()
    .setClassMethodName('forRoot')
    .setExtras<DeviceAuthModuleExtras>({ isGlobal: true, dataSource: undefined }, (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
      imports: [...(definition.imports ?? []), TypeOrmModule.forFeature(DEVICE_AUTH_ENTITIES, extras.dataSource)],
      providers: [
        ...(definition.providers ?? []),
        { provide: DEVICE_AUTH_DATA_SOURCE, useExisting: getDataSourceToken(extras.dataSource) },
      ],
    }))
    .build();
