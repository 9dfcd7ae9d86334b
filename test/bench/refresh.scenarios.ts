import type { LoadSpec } from './load-spec';
import { OIDC_PROVIDER_CLIENT_ID } from './oidc-provider';
import { Row, row, side } from './report';
import { measure, Setup } from './setup';
import { deviceFlowTokens } from './sign-in';

const OURS = 'this library';
const THEIRS = 'node-oidc-provider';

/**
 * Target 3: refreshes/s. Every refresh rotates, so each connection carries its own chain: a
 * request spends a refresh token and the answer's successor goes back into the feed. Each round
 * starts from fresh tokens (one per connection), since a round's last requests are cut off with
 * their successors.
 */
export async function refreshScenarios(setup: Setup): Promise<Row[]> {
  const { ours, theirs, settings } = setup;
  const refresh = (url: string, clientId: string, refreshTokens: string[]): LoadSpec => ({
    url,
    method: 'POST',
    form: { grant_type: 'refresh_token', client_id: clientId },
    feed: { field: 'refresh_token', values: refreshTokens, next: { fromAnswer: 'refresh_token' } },
    connections: settings.connections,
    seconds: settings.seconds,
    expect: { status: 200, field: 'refresh_token' },
  });
  const signIns = async (count: number) =>
    (await Promise.all(Array.from({ length: count }, () => deviceFlowTokens(ours.baseUrl)))).map((tokens) => tokens.refreshToken);
  const [ourRefreshes, theirRefreshes] = await measure(setup, 'refreshes', [
    { label: OURS, load: async () => refresh(ours.endpoints.token, 'sample-cli', await signIns(settings.connections)) },
    {
      label: THEIRS,
      load: async () => refresh(theirs.endpoints.token, OIDC_PROVIDER_CLIENT_ID, await theirs.mintRefreshTokens(settings.connections)),
    },
  ]);
  return [row(setup.name, 'refreshes/s (each rotates)', side(OURS, ourRefreshes), side(THEIRS, theirRefreshes), 'reported')];
}
