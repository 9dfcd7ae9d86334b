import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import request from 'supertest';
import { BEARER_STRATEGY_NAME, DeviceAuthPrincipal, Principal } from '../../lib';
import { httpPlatformFromEnv } from '../../sample-app/create-app';
import { deviceLogin } from './support/device-flow';
import { useTestApp } from './support/test-app';

/** A host route guarded through passport, as an Express host composing strategies writes it. */
@Controller('api/v1/passport-probe')
@UseGuards(AuthGuard([BEARER_STRATEGY_NAME]))
class PassportProbeController {
  @Get()
  who(@DeviceAuthPrincipal() who: Principal): Principal {
    return who;
  }
}

@Module({ controllers: [PassportProbeController] })
class PassportProbeModule {}

// passport's request handling is Express's (nestjs/passport#60): the strategy is documented for
// Express hosts only, so on Fastify this suite has nothing to prove; BearerTokenGuard is tested on both.
const describeOnExpress = httpPlatformFromEnv() === 'express' ? describe : describe.skip;

describeOnExpress('the passport strategy, for Express hosts that compose strategies', () => {
  const testApp = useTestApp({ imports: [PassportProbeModule] });
  const probe = (authorization?: string) => {
    const call = request(testApp.http).get('/api/v1/passport-probe');
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
