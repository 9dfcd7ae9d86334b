import request from 'supertest';
import { httpPlatformFromEnv } from '../../sample-app/create-app';
import { deviceLogin } from './support/device-flow';
import { PASSPORT_PROBE_PATH, PassportProbeModule } from './support/passport-probe';
import { useTestApp } from './support/test-app';

// passport's request handling is Express's (nestjs/passport#60): the strategy is documented for
// Express hosts only, so on Fastify this suite has nothing to prove; BearerTokenGuard is tested on both.
const describeOnExpress = httpPlatformFromEnv() === 'express' ? describe : describe.skip;

describeOnExpress('the passport strategy, for Express hosts that compose strategies', () => {
  const testApp = useTestApp({ imports: [PassportProbeModule] });
  const probe = (authorization?: string) => {
    const call = request(testApp.http).get(PASSPORT_PROBE_PATH);
    return authorization === undefined ? call : call.set('Authorization', authorization);
  };

  it('accepts the module’s tokens and hands the same principal to the handler', async () => {
    const { access_token } = await deviceLogin(testApp, 'alice', 'sample-cli', 'user:read');
    const response = await probe(`Bearer ${access_token}`).expect(200);
    expect(response.body).toMatchObject({
      subjectKind: 'user',
      userId: await testApp.userId('alice'),
      clientId: 'sample-cli',
      scopes: ['user:read'],
    });
  });

  it('fails a missing, an invalid and a malformed token, which @nestjs/passport answers with its own 401', async () => {
    for (const authorization of [
      undefined,
      'Bearer not-a-token',
      'Bearer two tokens',
      'Bearer bpat_000000000000000000000000000000000000',
    ]) {
      const response = await probe(authorization).expect(401);
      expect(response.body.message).toBe('Unauthorized');
    }
  });
});
