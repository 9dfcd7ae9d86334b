import { AUTHORIZATION_CODE_GRANT_TYPE, CLIENT_CREDENTIALS_GRANT_TYPE, ClientsService, DEVICE_CODE_GRANT_TYPE } from '../../lib';
import { SAMPLE_SCOPES, TOKEN_MANAGEMENT_SCOPE } from '../sample-scopes';

/** What ClientsService.register takes, with the client id fixed so seeding can find it again. */
export type ClientSeed = Parameters<ClientsService['register']>[0] & { clientId: string };

const grantTypes = (): ClientSeed['grantTypes'] => [DEVICE_CODE_GRANT_TYPE, AUTHORIZATION_CODE_GRANT_TYPE, 'refresh_token'];
/** RFC 8252 §7.3: a CLI listens on a loopback port of its choosing; the port is not part of the match. */
const LOOPBACK_REDIRECT = 'http://127.0.0.1/callback';
const allScopes = (): string[] => Object.keys(SAMPLE_SCOPES);
const apiScopes = (): string[] => allScopes().filter((scope) => scope !== TOKEN_MANAGEMENT_SCOPE);

/** Alice's own CLI: a personal app, so only she can authorize it. */
export function sampleCliSeed(aliceId: string): ClientSeed {
  return {
    clientId: 'sample-cli',
    name: 'Sample CLI',
    type: 'public',
    mode: 'personal',
    ownerUserId: aliceId,
    grantTypes: grantTypes(),
    scopes: allScopes(),
    redirectUris: [LOOPBACK_REDIRECT],
  };
}

/** A partner CLI any user of the API can sign in to; it may not manage API tokens. */
export function teamCliSeed(): ClientSeed {
  return {
    clientId: 'team-cli',
    name: 'Team CLI',
    type: 'public',
    mode: 'partner',
    grantTypes: grantTypes(),
    scopes: apiScopes(),
    redirectUris: [LOOPBACK_REDIRECT],
  };
}

/**
 * A confidential partner service: tokens for itself with client credentials (its secret is printed
 * once, at the start that registers it), or for a user who signed it in once through the device flow.
 */
export function reportsServiceSeed(): ClientSeed {
  return {
    clientId: 'reports-service',
    name: 'Reports Service',
    type: 'confidential',
    mode: 'partner',
    grantTypes: [CLIENT_CREDENTIALS_GRANT_TYPE, DEVICE_CODE_GRANT_TYPE],
    scopes: ['listings:read', 'user:read'],
    accessTokenTtl: 600,
  };
}
