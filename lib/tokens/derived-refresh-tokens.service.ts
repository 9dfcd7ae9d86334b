import { Injectable } from '@nestjs/common';
import { hmac } from './hashing';
import { deriveToken } from './random-token';
import { TOKEN_PREFIX } from '../protocol/token-prefixes';
import { ServerSecret } from './server-secret.service';

/**
 * Refresh tokens whose value is an HMAC of what the client presented, so a client whose answer was
 * lost and that asks again gets the very same token instead of a second one: the successor of a
 * rotated refresh token, and the first refresh token of a device code's grant.
 */
@Injectable()
export class DerivedRefreshTokens {
  constructor(private readonly secret: ServerSecret) {}

  successorOf(refreshToken: string): Promise<string> {
    return this.derive('refresh-token-successor', refreshToken);
  }

  firstOfDeviceCode(deviceCode: string): Promise<string> {
    return this.derive('device-code-refresh-token', deviceCode);
  }

  private async derive(purpose: string, presented: string): Promise<string> {
    return deriveToken(TOKEN_PREFIX.refreshToken, hmac(await this.secret.get(), `${purpose}\n${presented}`));
  }
}
