import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { DeviceAuthModuleOptions } from './options/device-auth-options.interface';

/** forRoot / forRootAsync come from the builder; the raw options land under MODULE_OPTIONS_TOKEN. */
export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<DeviceAuthModuleOptions>().setClassMethodName('forRoot').build();
