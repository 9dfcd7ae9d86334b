import { Injectable } from '@nestjs/common';
import { hmacHex, safeEqual } from '../tokens/hashing';
import { ServerSecret } from '../tokens/server-secret.service';

/**
 * Synchronizer tokens for every form the module serves: an HMAC under the server secret of the
 * signed-in user and what the form acts on (`purpose`), so a forged POST from another site, or a
 * form of another user or request, cannot pass. Stateless, so any instance can check them.
 */
@Injectable()
export class CsrfTokens {
  constructor(private readonly secret: ServerSecret) {}

  async issue(userId: string, purpose: string): Promise<string> {
    return hmacHex(await this.secret.get(), `csrf\n${purpose}\n${userId}`);
  }

  async isValid(userId: string, purpose: string, presented: string | undefined): Promise<boolean> {
    return presented !== undefined && safeEqual(presented, await this.issue(userId, purpose));
  }
}
