import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { SampleAppConfig } from '../../../../sample-app/config';
import { createSampleApp, httpPlatformFromEnv } from '../../../../sample-app/create-app';
import { listeningLine } from './listening-line';

/**
 * One sample-app instance as its own process, started by sample-app-instances.ts: the test's
 * database and schema, its Redis, its issuer and DeviceAuthModule options (JSON) come from the environment;
 * it listens on a free loopback port and reports it on stdout.
 */
async function main(): Promise<void> {
  const deviceAuth = JSON.parse(process.env.DEVICE_AUTH_OPTIONS ?? '{}') as SampleAppConfig['deviceAuth'];
  const app = await createSampleApp(
    {
      databaseUrl: process.env.DATABASE_URL,
      postgresSchema: process.env.DATABASE_SCHEMA,
      issuer: process.env.ISSUER ?? '',
      redisUrl: process.env.REDIS_URL,
      redisKeyPrefix: process.env.REDIS_KEY_PREFIX,
      deviceAuth,
    },
    { platform: httpPlatformFromEnv() },
  );
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  process.stdout.write(listeningLine((app.getHttpServer().address() as AddressInfo).port));
  // The test holds our stdin open: when it ends, even by a crash or kill -9, we must not outlive it.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
