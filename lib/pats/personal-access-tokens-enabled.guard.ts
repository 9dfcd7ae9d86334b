import { CanActivate, Injectable, NotFoundException } from '@nestjs/common';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';

/**
 * With `personalAccessTokens: false` the PAT API and page answer 404, as if never mounted. (Routes
 * are fixed before forRootAsync's options exist, so they are closed rather than left out.)
 */
@Injectable()
export class PersonalAccessTokensEnabled implements CanActivate {
  constructor(@InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions) {}

  canActivate(): boolean {
    if (!this.options.personalAccessTokens.enabled) throw new NotFoundException();
    return true;
  }
}
