import { Injectable } from '@nestjs/common';
import { createPublicKey, KeyObject } from 'node:crypto';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';

/** How long fetched keys are trusted, and how often an unknown identifier may trigger a new fetch. */
const FETCHED_KEYS_TTL_MS = 3600_000;
const REFETCH_AT_MOST_EVERY_MS = 60_000;
const FETCH_TIMEOUT_MS = 5_000;

/** GitHub's answer at https://api.github.com/meta/public_keys/secret_scanning. */
interface PublishedKeys {
  public_keys?: { key_identifier?: unknown; key?: unknown }[];
}

/** The public keys leak reports are verified with: those in the options, and those of `keysUrl`. */
@Injectable()
export class SecretScanningKeys {
  private readonly given: Map<string, KeyObject>;
  private fetched = new Map<string, KeyObject>();
  private fetchedAt = -Infinity;

  constructor(@InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions) {
    const keys = options.secretScanning?.keys ?? [];
    this.given = new Map(keys.map((key) => [key.identifier, createPublicKey(key.publicKey)]));
  }

  /** The key a report names, or undefined: a rotated key is fetched at most once a minute. */
  async key(identifier: string): Promise<KeyObject | undefined> {
    const known = this.given.get(identifier) ?? this.freshFetched().get(identifier);
    if (known) return known;
    const keysUrl = this.options.secretScanning?.keysUrl;
    if (keysUrl === undefined || this.options.clock.now() - this.fetchedAt < REFETCH_AT_MOST_EVERY_MS) return undefined;
    await this.fetch(keysUrl);
    return this.fetched.get(identifier);
  }

  private freshFetched(): Map<string, KeyObject> {
    return this.options.clock.now() - this.fetchedAt < FETCHED_KEYS_TTL_MS ? this.fetched : new Map();
  }

  private async fetch(keysUrl: string): Promise<void> {
    this.fetchedAt = this.options.clock.now();
    const response = await fetch(keysUrl, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
    if (!response.ok) throw new Error(`nest-device-auth: secretScanning.keysUrl answered ${response.status}`);
    const published = (await response.json()) as PublishedKeys;
    const keys = new Map<string, KeyObject>();
    for (const entry of published.public_keys ?? []) {
      if (typeof entry.key_identifier === 'string' && typeof entry.key === 'string')
        keys.set(entry.key_identifier, createPublicKey(entry.key));
    }
    this.fetched = keys;
  }
}
