import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hmacHex, safeEqual } from '../tokens/hashing';
import { ServerSecret } from '../tokens/server-secret.service';

/** A one-form token: 128 random bits as base64url, a dot, the HMAC as hex. */
const FORM_TOKEN = /^([A-Za-z0-9_-]{22})\.([0-9a-f]{64})$/;

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

  /**
   * A token for one rendering of a form: `<key>.<HMAC of user, purpose and key>`. Still stateless
   * to check; the random key names what the form's POST does, so that it can happen only once.
   */
  async issueForForm(userId: string, purpose: string): Promise<string> {
    const key = randomBytes(16).toString('base64url');
    return `${key}.${await this.issue(userId, `${purpose}\n${key}`)}`;
  }

  /** The key of a token from issueForForm for this user and purpose, or undefined for any other value. */
  async formKeyOf(userId: string, purpose: string, presented: string | undefined): Promise<string | undefined> {
    const match = presented === undefined ? null : FORM_TOKEN.exec(presented);
    if (!match) return undefined;
    return (await this.isValid(userId, `${purpose}\n${match[1]}`, match[2])) ? match[1] : undefined;
  }
}
