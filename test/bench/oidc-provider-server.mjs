// node-oidc-provider 9, the benchmark's point of comparison, in a process of its own (it is ESM-only).
// One public client with the device grant, its default in-memory storage, its development keys.
// Speaks to the bench over IPC: sends { port } once listening; answers { mintRefreshTokens: n }.
import { createServer } from 'node:http';
import { Provider } from 'oidc-provider';

const CLIENT_ID = 'bench-cli';
const ACCOUNT_ID = 'bench-user';
// No openid: a refresh then answers without an ID token, as this library's refreshes do.
const SCOPE = 'offline_access';

const server = createServer();
// Listening first, so the issuer names the port the system picked.
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: CLIENT_ID,
      token_endpoint_auth_method: 'none',
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      response_types: [],
      redirect_uris: [],
    },
  ],
  features: { deviceFlow: { enabled: true } },
});
server.on('request', provider.callback());

/**
 * Refresh tokens as the device grant issues them (same model, grant and account), minted in this
 * process because signing a user in needs its interaction pages, which the bench does not drive.
 */
async function mintRefreshTokens(count) {
  const client = await provider.Client.find(CLIENT_ID);
  const tokens = [];
  for (let i = 0; i < count; i += 1) {
    const grant = new provider.Grant({ accountId: ACCOUNT_ID, clientId: CLIENT_ID });
    grant.addOIDCScope(SCOPE);
    const grantId = await grant.save();
    const token = new provider.RefreshToken({ accountId: ACCOUNT_ID, client, grantId, gty: 'device_code', scope: SCOPE });
    tokens.push(await token.save());
  }
  return tokens;
}

process.on('message', (message) => {
  mintRefreshTokens(message.mintRefreshTokens).then(
    (refreshTokens) => process.send({ refreshTokens }),
    (error) => process.send({ error: String(error) }),
  );
});
// The bench's end closes the IPC channel: leave with it.
process.on('disconnect', () => process.exit(0));
process.send({ port });
