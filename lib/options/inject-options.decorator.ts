import { Inject } from '@nestjs/common';
import { DEVICE_AUTH_OPTIONS } from './options.tokens';

export const InjectDeviceAuthOptions = (): ParameterDecorator => Inject(DEVICE_AUTH_OPTIONS);
