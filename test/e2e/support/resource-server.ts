import { ClientsService } from '../../../lib';
import { present } from './present';
import type { TestApp } from './test-app';

/** A resource server: a confidential app with no grants, which authenticates only to introspect. */
export async function registerResourceServer(testApp: TestApp, clientId = 'listings-api'): Promise<{ id: string; secret: string }> {
  const registered = await testApp.app.get(ClientsService).register({
    clientId,
    name: 'Listings API',
    type: 'confidential',
    mode: 'partner',
    grantTypes: [],
    scopes: [],
  });
  return { id: clientId, secret: present(registered.clientSecret, `the secret of ${clientId}`) };
}
