import { ClientsService, DEVICE_CODE_GRANT_TYPE } from '../../lib';
import { SAMPLE_SCOPES } from '../sample-scopes';

/** What ClientsService.register takes, with the client id fixed so seeding can find it again. */
export type ClientSeed = Parameters<ClientsService['register']>[0] & { clientId: string };

const grantTypes = (): ClientSeed['grantTypes'] => [DEVICE_CODE_GRANT_TYPE, 'refresh_token'];
const allScopes = (): string[] => Object.keys(SAMPLE_SCOPES);

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
  };
}

/** A partner CLI any user of the API can sign in to. */
export function teamCliSeed(): ClientSeed {
  return {
    clientId: 'team-cli',
    name: 'Team CLI',
    type: 'public',
    mode: 'partner',
    grantTypes: grantTypes(),
    scopes: allScopes(),
  };
}
