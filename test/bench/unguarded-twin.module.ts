import { Controller, createParamDecorator, Get, Module } from '@nestjs/common';
import type { Principal } from '../../lib';

/** The scopes sample-cli's device sign-in grants, so the twin's answer is as long as the guarded route's. */
const SCOPES = ['user:read', 'listings:read', 'listings:write', 'tokens:manage', 'openid', 'profile', 'email', 'offline_access'];

const FIXED_PRINCIPAL: Principal = {
  subjectKind: 'user',
  userId: '00000000-0000-4000-8000-000000000000',
  clientId: 'sample-cli',
  scopes: SCOPES,
  tokenKind: 'jwt',
  tokenId: '00000000-0000-4000-8000-000000000001',
  expiresAt: new Date('2030-01-01T00:00:00Z'),
  audience: 'http://localhost:3000',
  actor: null,
};

/** Stands in for @DeviceAuthPrincipal(): the twin resolves its argument through a param decorator too. */
const FixedPrincipal = createParamDecorator((): Principal => FIXED_PRINCIPAL);

/**
 * The benchmark's twin of the sample's `GET /api/v1/token`: the same handler work (take a
 * principal through a param decorator and return it for Nest to serialise) without BearerTokenGuard, so the pair's ratio is the guard's cost.
 * Mounted by the bench only, never by the sample app.
 */
@Controller('api/v1/token-unguarded-twin')
class UnguardedTwinController {
  @Get()
  describe(@FixedPrincipal() who: Principal): Principal {
    return who;
  }
}

@Module({ controllers: [UnguardedTwinController] })
export class UnguardedTwinModule {}
