import { DynamicModule, Module } from '@nestjs/common';
import type { Clock } from '../../lib';

/** Injection token of the host's clock (an interface, so it needs a token). */
export const APP_CLOCK = Symbol('APP_CLOCK');

export const systemClock: Clock = { now: () => Date.now() };

/** Makes one clock available everywhere in the sample app. */
@Module({})
export class AppClockModule {
  static register(clock: Clock = systemClock): DynamicModule {
    return {
      module: AppClockModule,
      global: true,
      providers: [{ provide: APP_CLOCK, useValue: clock }],
      exports: [APP_CLOCK],
    };
  }
}
