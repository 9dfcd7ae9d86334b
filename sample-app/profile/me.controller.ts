import { Controller, Get, NotFoundException, UseGuards } from '@nestjs/common';
import { BearerTokenGuard, DeviceAuthPrincipal, Principal, Scopes, UserPrincipal } from '../../lib';
import { UsersService } from '../users/users.service';

export interface MeResponse {
  id: string;
  username: string;
  displayName: string;
  clientId: string | null;
  scopes: string[];
  tokenKind: Principal['tokenKind'];
}

/** Who the bearer token speaks for, and through which app. */
@Controller('api/v1/me')
@UseGuards(BearerTokenGuard)
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Scopes('user:read')
  async me(@DeviceAuthPrincipal() who: UserPrincipal): Promise<MeResponse> {
    const user = await this.users.findById(who.userId);
    if (user === null) throw new NotFoundException('The user of this token no longer exists');
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      clientId: who.clientId,
      scopes: who.scopes,
      tokenKind: who.tokenKind,
    };
  }
}
