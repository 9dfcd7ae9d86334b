import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { SampleAppConfig } from './config';

export interface CreateSampleAppOptions {
  /** Nest's log levels; warnings and errors only by default. */
  logger?: LogLevel[];
}

/**
 * Builds and initialises the sample app (migrations run, demo users and apps seeded) without
 * listening, so tests can drive `app.getHttpServer()` and `main.ts` can call `listen()`.
 * Find the demo users with `app.get(UsersService).findByUsername('alice')`.
 */
export async function createSampleApp(
  config: SampleAppConfig,
  options: CreateSampleAppOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    logger: options.logger ?? ['error', 'warn'],
  });
  app.disable('x-powered-by');
  await app.init();
  return app;
}
