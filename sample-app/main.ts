import 'reflect-metadata';
import { dynamicRegistrationFromEnv } from './config';
import { createSampleApp, httpPlatformFromEnv } from './create-app';
import { SampleSeeder } from './seed/sample-seeder';
import { SEED_USERS } from './users/seed-users';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);
  const issuer = process.env.ISSUER ?? `http://localhost:${port}`;

  const platform = httpPlatformFromEnv();
  const app = await createSampleApp(
    {
      databaseUrl: process.env.DATABASE_URL,
      postgresSchema: process.env.DATABASE_SCHEMA,
      redisUrl: process.env.REDIS_URL,
      redisKeyPrefix: process.env.REDIS_KEY_PREFIX,
      issuer,
      deviceAuth: { dynamicRegistration: dynamicRegistrationFromEnv(process.env.DYNAMIC_REGISTRATION) },
    },
    { platform },
  );
  app.enableShutdownHooks();
  await app.listen(port);

  console.log(`Sample app listening on http://localhost:${port} on ${platform === 'fastify' ? 'Fastify' : 'Express'} (issuer ${issuer})`);
  console.log('Demo logins:');
  for (const user of SEED_USERS) console.log(`  ${user.username} / ${user.password}`);
  for (const { clientId, clientSecret } of app.get(SampleSeeder).newClientSecrets) {
    console.log(`Client secret of ${clientId} (shown this once; only its digest is stored): ${clientSecret}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
