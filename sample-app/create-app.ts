import { DynamicModule, INestApplication, LogLevel, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppModule } from './app.module';
import { SampleAppConfig } from './config';

export type HttpPlatform = 'express' | 'fastify';

/** Express's default body limit, set on Fastify too (its default is 1 MiB), so both refuse the same bodies. */
const BODY_LIMIT_BYTES = 100 * 1024;

/**
 * Fastify's router answers a path it cannot decode (400) or a path parameter over its length limit
 * (414) itself, before Nest or any exception filter sees the request: as the API's other refusals
 * (RFC 6749 JSON, never cached) rather than in Fastify's own shape.
 */
function refuseBadUrl(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  void reply
    .code(error.statusCode ?? 400)
    .header('Cache-Control', 'no-store')
    .send({ error: 'invalid_request', error_description: error.message });
}

export interface CreateSampleAppOptions {
  /** Nest's log levels; warnings and errors only by default. */
  logger?: LogLevel[];
  /** The HTTP platform under Nest: Express by default. */
  platform?: HttpPlatform;
  /** Extra modules booted next to the sample app (e.g. a test's probe controller). */
  imports?: (Type | DynamicModule)[];
}

/** `HTTP_PLATFORM=express|fastify`, Express when unset. */
export function httpPlatformFromEnv(value = process.env.HTTP_PLATFORM): HttpPlatform {
  if (value === undefined || value === '' || value === 'express') return 'express';
  if (value === 'fastify') return 'fastify';
  throw new Error(`HTTP_PLATFORM must be "express" or "fastify", got "${value}"`);
}

/**
 * Builds and initialises the sample app (migrations run, demo users and apps seeded) without
 * listening, so tests can drive `app.getHttpServer()` and `main.ts` can call `listen()`.
 * Find the demo users with `app.get(UsersService).findByUsername('alice')`.
 */
export async function createSampleApp(config: SampleAppConfig, options: CreateSampleAppOptions = {}): Promise<INestApplication> {
  @Module({})
  class SampleHostModule {}
  const root = { module: SampleHostModule, imports: [AppModule.register(config), ...(options.imports ?? [])] };
  const logger = options.logger ?? ['error', 'warn'];
  if (options.platform === 'fastify') {
    // What a Fastify host sets for nest-device-auth: trailing-slash-insensitive routing, so the
    // reference paths (/o/token/) and their slashless forms both route. Nest parses form bodies itself.
    const app = await NestFactory.create<NestFastifyApplication>(
      root,
      new FastifyAdapter({ routerOptions: { ignoreTrailingSlash: true }, bodyLimit: BODY_LIMIT_BYTES, frameworkErrors: refuseBadUrl }),
      // The raw body as well as the parsed one: nest-device-auth's secret-scanning endpoint verifies signatures over it.
      { logger, rawBody: true },
    );
    // Bodies of any other type reach the handlers unparsed, so the OAuth endpoints answer them with
    // RFC 6749's invalid_request instead of Fastify's own 415.
    app
      .getHttpAdapter()
      .getInstance()
      .addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    await initOrClose(app);
    await app.getHttpAdapter().getInstance().ready();
    return app;
  }
  const app = await NestFactory.create<NestExpressApplication>(root, { logger, rawBody: true });
  app.disable('x-powered-by');
  await initOrClose(app);
  return app;
}

/**
 * Initialises the app; if a start-up check refuses (e.g. another issuer than the database's),
 * closes what was opened (database pool, Redis) before passing the refusal on.
 */
async function initOrClose(app: INestApplication): Promise<void> {
  try {
    await app.init();
  } catch (error) {
    await app.close().catch(() => undefined); // the refusal matters, not a second error while closing
    throw error;
  }
}
