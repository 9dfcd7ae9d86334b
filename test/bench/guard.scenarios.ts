import type { LoadSpec } from './load-spec';
import { Row, row, side } from './report';
import { measure, Setup } from './setup';
import { createPersonalAccessToken, deviceFlowTokens } from './sign-in';

const JWT = 'GET /api/v1/token, JWT';
const PAT = 'GET /api/v1/token, PAT';
const TWIN = 'unguarded twin, same JWT header';

/**
 * Target 2: the guarded sample route against its unguarded twin (unguarded-twin.module.ts), for
 * a JWT and for a PAT, with the caches at their defaults. The twin is sent the JWT's header too,
 * so both sides parse the same request and the difference is the guard's work.
 */
export async function guardScenarios(setup: Setup): Promise<Row[]> {
  const { ours, settings } = setup;
  const { accessToken } = await deviceFlowTokens(ours.baseUrl);
  const pat = await createPersonalAccessToken(ours.baseUrl, accessToken);
  const get = (path: string, token: string): LoadSpec => ({
    url: `${ours.baseUrl}${path}`,
    method: 'GET',
    headers: { authorization: `Bearer ${token}` },
    connections: settings.connections,
    seconds: settings.seconds,
    expect: { status: 200 },
  });
  const [jwt, personal, twin] = await measure(setup, 'guard', [
    { label: JWT, load: () => get('/api/v1/token', accessToken) },
    { label: PAT, load: () => get('/api/v1/token', pat) },
    { label: TWIN, load: () => get('/api/v1/token-unguarded-twin', accessToken) },
  ]);
  const unguarded = side(TWIN, twin);
  return [
    row(setup.name, 'guarded route / unguarded twin', side(JWT, jwt), unguarded, '≥ 0.90'),
    row(setup.name, 'guarded route / unguarded twin', side(PAT, personal), unguarded, '≥ 0.90'),
  ];
}
