import { Injectable, OnModuleInit } from '@nestjs/common';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { DeviceAuthOptionsError } from '../errors/options.error';
import { SigningKeyStore } from '../storage/signing-key.store';

/**
 * Every instance on one database must serve one issuer: a token names it (`iss`, and `aud` by
 * default), so an instance with another refuses the others' access tokens while their refresh
 * tokens still rotate there. The first instance to start records its issuer, next to the server
 * secret; an instance configured with another refuses to start, before it serves a request.
 */
@Injectable()
export class IssuerCheck implements OnModuleInit {
  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly store: SigningKeyStore,
  ) {}

  async onModuleInit(): Promise<void> {
    const configured = this.options.issuer;
    const recorded = await this.store.recordedIssuer(configured);
    if (recorded === configured) return;
    throw new DeviceAuthOptionsError(
      'issuer',
      `is ${JSON.stringify(configured)}, but this database serves the issuer ${JSON.stringify(recorded)}, ` +
        'recorded by the first instance that started on it. Every instance sharing a database must use the same issuer ' +
        `(and the same server secret and signing keys): start this one with issuer ${JSON.stringify(recorded)}. ` +
        'To move to a new issuer deliberately, stop every instance, delete the recorded one ' +
        `(DELETE FROM device_auth_signing_keys WHERE kid = 'issuer') and start them all with the new issuer; ` +
        'access tokens issued under the old one are then refused, and clients refresh them.',
    );
  }
}
