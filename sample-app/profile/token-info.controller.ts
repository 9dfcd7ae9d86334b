import { Controller, Get, UseGuards } from '@nestjs/common';
import { AllowAppTokens, BearerTokenGuard, DeviceAuthPrincipal, Principal } from '../../lib';

/**
 * What the presented token grants, straight from the guard: no database work of the app's own.
 * Open to apps acting for themselves (client credentials) too, unlike the user routes.
 */
@Controller('api/v1/token')
@UseGuards(BearerTokenGuard)
@AllowAppTokens()
export class TokenInfoController {
  @Get()
  describe(@DeviceAuthPrincipal() who: Principal): Principal {
    return who;
  }
}
