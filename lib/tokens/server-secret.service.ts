import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { SigningKeyStore } from '../storage/signing-key.store';

/** The HMAC key for user codes and CSRF tokens: `options.secret`, or one generated once per database. */
@Injectable()
export class ServerSecret {
  private key?: Promise<Buffer>;

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly store: SigningKeyStore,
  ) {}

  get(): Promise<Buffer> {
    this.key ??= this.load().catch((error: unknown) => {
      this.key = undefined; // a database hiccup at start must not poison every later request
      throw error;
    });
    return this.key;
  }

  private async load(): Promise<Buffer> {
    if (this.options.secret !== undefined) return Buffer.from(this.options.secret, 'utf8');
    const secret = await this.store.serverSecret(randomBytes(32).toString('base64url'));
    return Buffer.from(secret, 'base64url');
  }
}
