import { Controller, Get, UseGuards } from '@nestjs/common';
import { BearerTokenGuard, DeviceAuthPrincipal, Principal } from '../../lib';

/** What the presented token grants, straight from the guard: no database work of the app's own. */
@Controller('api/v1/token')
@UseGuards(BearerTokenGuard)
export class TokenInfoController {
  @Get()
  describe(@DeviceAuthPrincipal() who: Principal): Principal {
    return who;
  }
}
