import { Inject } from '@nestjs/common';

/** Injection token of the Clock (options.clock, or the system clock). */
export const DEVICE_AUTH_CLOCK = Symbol('DEVICE_AUTH_CLOCK');

export const InjectClock = (): ParameterDecorator => Inject(DEVICE_AUTH_CLOCK);
