import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { PersonalAccessToken, PersonalAccessTokensService, TokenVerifier } from '../../lib';
import { InvalidAccessTokenError } from '../../lib/errors/invalid-access-token.error';
import { AccessTokens } from '../../lib/tokens/access-token.service';
import { sha256Hex } from '../../lib/tokens/hashing';
import { generateToken } from '../../lib/tokens/random-token';
import { GrantStore } from '../../lib/storage/grant.store';
import { createSampleApp } from '../../sample-app/create-app';
import { UsersService } from '../../sample-app/users/users.service';

/**
 * Issue 10, target 5: every cache on the guard's path is bounded. 1,000,000 verifications, as the
 * guard makes them (TokenVerifier, then the PAT use stamp), spread over distinct valid JWTs and
 * PATs and as many unknown well-formed tokens, in-process so the run takes minutes, not hours.
 * RSS is read after a warm-up and at the end, each after a full GC: the growth must stay under 50 MB.
 */
const CALLS = Number(process.env.MEMORY_CALLS ?? 1_000_000);
const DISTINCT = Number(process.env.MEMORY_DISTINCT ?? 100_000);
const WARM_UP_CALLS = Math.min(CALLS, DISTINCT * 2);
const LIMIT_MB = 50;

const gc = (globalThis as { gc?: () => void }).gc;
const rssMb = (): number => {
  gc?.();
  return process.memoryUsage().rss / 2 ** 20;
};

async function main(): Promise<void> {
  if (!gc) throw new Error('run with node --expose-gc, so RSS is read after a full collection');
  const directory = mkdtempSync(join(tmpdir(), 'nest-device-auth-memory-'));
  const app = await createSampleApp(
    { databaseUrl: `sqlite:${join(directory, 'memory.sqlite')}`, issuer: 'http://localhost:3000' },
    { logger: ['error'] },
  );
  try {
    const aliceId = (await app.get(UsersService).findByUsername('alice'))?.id;
    if (!aliceId) throw new Error('the sample app has no alice');
    const now = Date.now();
    const grantId = randomUUID();
    await app.get(GrantStore, { strict: false }).insert({
      id: grantId,
      clientId: 'sample-cli',
      userId: aliceId,
      scope: 'user:read',
      resource: null,
      createdAt: now,
      expiresAt: now + 86_400_000,
      revokedAt: null,
      revocationReason: null,
    });

    const half = DISTINCT / 2;
    const accessTokens = app.get(AccessTokens, { strict: false });
    const jwts: string[] = [];
    for (let i = 0; i < half; i++)
      jwts.push(
        await accessTokens.mint(
          { userId: aliceId, clientId: 'sample-cli', scope: 'user:read', grantId, audience: 'http://localhost:3000' },
          3600,
        ),
      );
    const pats = Array.from({ length: half }, () => generateToken('bpat_'));
    const rows = app.get(DataSource).getRepository(PersonalAccessToken);
    for (let start = 0; start < pats.length; start += 500) {
      await rows.insert(
        pats.slice(start, start + 500).map((token) => ({
          id: randomUUID(),
          tokenHash: sha256Hex(token),
          displayHint: 'bpat_…',
          userId: aliceId,
          clientId: null,
          name: 'memory bench',
          scope: 'user:read',
          createdAt: now,
          expiresAt: now + 86_400_000,
          lastUsedAt: null,
          lastUsedIp: null,
          revokedAt: null,
        })),
      );
    }
    // Unknown but well-formed: PATs with a valid checksum that were never stored, and JWTs of another key's shape.
    const unknown = [
      ...Array.from({ length: half }, () => generateToken('bpat_')),
      ...jwts.slice(0, half).map((jwt) => jwt.slice(0, -8) + 'AAAAAAAA'),
    ];
    const pool = jwts.flatMap((jwt, i) => [jwt, pats[i], unknown[i], unknown[half + i]]);

    const verifier = app.get(TokenVerifier);
    const personalAccessTokens = app.get(PersonalAccessTokensService);
    let refused = 0;
    const call = async (token: string): Promise<void> => {
      try {
        const principal = await verifier.verify(token);
        if (principal.tokenKind === 'pat') await personalAccessTokens.recordUse(principal.tokenId, '127.0.0.1');
      } catch (error) {
        if (!(error instanceof InvalidAccessTokenError)) throw error;
        refused++;
      }
    };

    const started = Date.now();
    for (let i = 0; i < WARM_UP_CALLS; i++) await call(pool[i % pool.length]);
    const afterWarmUp = rssMb();
    for (let i = WARM_UP_CALLS; i < CALLS; i++) await call(pool[i % pool.length]);
    const atEnd = rssMb();
    const seconds = (Date.now() - started) / 1000;

    const growth = atEnd - afterWarmUp;
    const result = {
      date: new Date().toISOString(),
      node: process.version,
      calls: CALLS,
      distinctValid: DISTINCT,
      distinctUnknown: DISTINCT,
      refused,
      seconds: Math.round(seconds),
      rssAfterWarmUpMb: Math.round(afterWarmUp),
      rssAtEndMb: Math.round(atEnd),
      growthMb: Math.round(growth * 10) / 10,
      limitMb: LIMIT_MB,
    };
    console.log(
      `\n${CALLS} verifications over ${DISTINCT} valid (half JWT, half PAT) and ${DISTINCT} unknown tokens, ${result.seconds} s:\n`,
    );
    console.log('| RSS after warm-up | RSS at the end | growth | target |');
    console.log('|---:|---:|---:|---:|');
    console.log(`| ${result.rssAfterWarmUpMb} MB | ${result.rssAtEndMb} MB | ${result.growthMb} MB | < ${LIMIT_MB} MB |`);
    mkdirSync('bench-results', { recursive: true });
    writeFileSync(join('bench-results', 'memory.json'), JSON.stringify(result, null, 2) + '\n');
    if (growth >= LIMIT_MB) process.exitCode = 1;
  } finally {
    await app.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
