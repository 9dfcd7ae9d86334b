import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { DeviceAuthModuleOptions } from './options/device-auth-options.interface';

/**
 * forRoot / forRootAsync come from the builder; the raw options land under MODULE_OPTIONS_TOKEN.
 * `isGlobal` (default true) sits beside the options, as in @nestjs/config: a host imports the module
 * once and uses the guard and services everywhere; false keeps them to modules that import it.
 */
export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<DeviceAuthModuleOptions>()
    .setClassMethodName('forRoot')
    .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
    .build();
