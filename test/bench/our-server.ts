import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createSampleApp, HttpPlatform } from '../../sample-app/create-app';
import { discoverEndpoints, FlowEndpoints } from './endpoints';
import { UnguardedTwinModule } from './unguarded-twin.module';

/** The load comes from one address and one client far faster than any real one: the flood limits would measure themselves. */
export const WITHOUT_FLOOD_LIMITS = {
  deviceAuthorizationsPerIp: false,
  tokenRequestsPerIp: false,
  tokenRequestsPerClient: false,
  personalAccessTokenRequests: false,
} as const;

/** Where this library's server keeps its rows: a SQLite file, or a PostgreSQL schema of this run's own. */
export type BenchDatabase = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema: string };

export interface OurServer {
  baseUrl: string;
  endpoints: FlowEndpoints;
  close(): Promise<void>;
}

/** The sample app as `npm start` runs it (plus the bench's unguarded twin route), listening on loopback. */
export async function startOurServer(platform: HttpPlatform, database: BenchDatabase): Promise<OurServer> {
  const app: INestApplication = await createSampleApp(
    {
      ...(database.kind === 'sqlite'
        ? { databaseUrl: `sqlite:${database.file}` }
        : { databaseUrl: database.url, postgresSchema: database.schema }),
      issuer: 'http://localhost:3000',
      deviceAuth: { rateLimits: WITHOUT_FLOOD_LIMITS },
    },
    { logger: ['error', 'warn'], platform, imports: [UnguardedTwinModule] },
  );
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return { baseUrl, endpoints: await discoverEndpoints(baseUrl, '/.well-known/oauth-authorization-server'), close: () => app.close() };
}
