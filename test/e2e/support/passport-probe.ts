import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { BEARER_STRATEGY_NAME, DeviceAuthPrincipal, Principal } from '../../../lib';

export const PASSPORT_PROBE_PATH = '/api/v1/passport-probe';

/** A host route guarded through passport, as an Express host composing strategies writes it. */
@Controller(PASSPORT_PROBE_PATH)
@UseGuards(AuthGuard([BEARER_STRATEGY_NAME]))
class PassportProbeController {
  @Get()
  who(@DeviceAuthPrincipal() who: Principal): Principal {
    return who;
  }
}

/** Boot it next to the sample app (Express only: passport's request handling is Express's). */
@Module({ controllers: [PassportProbeController] })
export class PassportProbeModule {}
