import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { hmac } from '../tokens/hashing';
import { ServerSecret } from '../tokens/server-secret.service';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY = /^[A-Za-z0-9_-]{43}$/;

/**
 * Carries a token made on the API tokens page across its post/redirect/get: the POST seals it
 * (AES-256-GCM) under a key that only the redirect's URL holds, the database keeps the sealed
 * value, and the page after the redirect opens it once. The raw token is in no URL and in no row;
 * neither the URL nor the database alone can open it.
 */
@Injectable()
export class NewTokenReveal {
  constructor(private readonly secret: ServerSecret) {}

  /**
   * The key for the token a form creates, named by the form's one-time key: a resent form (a
   * double click) is redirected to the same page, which still shows the token if no one has yet.
   */
  async keyFor(userId: string, formKey: string): Promise<string> {
    return hmac(await this.secret.get(), `pat-reveal\n${userId}\n${formKey}`).toString('base64url');
  }

  seal(token: string, key: string, userId: string, id: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'base64url'), iv).setAAD(Buffer.from(`${userId}\n${id}`, 'utf8'));
    const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
  }

  /** The token, or null when the key is not the one it was sealed under (or is no key at all). */
  open(sealed: string, key: string | undefined, userId: string, id: string): string | null {
    if (key === undefined || !KEY.test(key)) return null;
    const bytes = Buffer.from(sealed, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key, 'base64url'), bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(`${userId}\n${id}`, 'utf8')).setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}
