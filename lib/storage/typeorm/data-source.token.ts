import { Inject } from '@nestjs/common';

/**
 * Injection token of the TypeORM DataSource the module's tables live in: the host's default one,
 * or the one the `dataSource` option names.
 */
export const DEVICE_AUTH_DATA_SOURCE = Symbol('DEVICE_AUTH_DATA_SOURCE');

export const InjectDeviceAuthDataSource = (): ParameterDecorator => Inject(DEVICE_AUTH_DATA_SOURCE);
