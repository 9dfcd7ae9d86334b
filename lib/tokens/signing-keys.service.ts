import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CryptoKey, exportJWK, generateKeyPair, importJWK, JWK } from 'jose';
import type { JsonWebKeyWithKid, ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { SigningKeyStore } from '../storage/signing-key.store';

const GENERATED_ALG = 'ES256';
/** An unknown `kid` reloads the keys at most this often, so made-up kids cannot cost a query each. */
const RELOAD_INTERVAL_MS = 30_000;
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

export interface LoadedKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

interface KeyRing {
  signing: LoadedKey;
  byKid: Map<string, LoadedKey>;
}

function publicPart(jwk: JsonWebKeyWithKid): JWK {
  return Object.fromEntries(Object.entries(jwk).filter(([member]) => !PRIVATE_JWK_MEMBERS.includes(member))) as JWK;
}

async function loadKey(jwk: JsonWebKeyWithKid, fallbackAlg: string): Promise<LoadedKey> {
  const alg = jwk.alg ?? fallbackAlg;
  const publicJwk = { ...publicPart(jwk), kid: jwk.kid, alg, use: 'sig' };
  return {
    kid: jwk.kid,
    alg,
    privateKey: (await importJWK(jwk as JWK, alg)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, alg)) as CryptoKey,
    publicJwk,
  };
}

/**
 * The JWT key ring: the host's keys from options, or an ES256 key generated once and shared by
 * every instance through the database. The first key signs; every key verifies (rotation).
 */
@Injectable()
export class SigningKeys {
  private ring?: Promise<KeyRing>;
  private lastReloadAt = Number.NEGATIVE_INFINITY;

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly store: SigningKeyStore,
  ) {}

  async signingKey(): Promise<LoadedKey> {
    return (await this.keyRing()).signing;
  }

  /** The key for a JWT's `kid`; an unknown kid reloads (rarely), in case another instance just made it. */
  async verificationKey(kid: string | undefined): Promise<LoadedKey | undefined> {
    if (kid === undefined) return undefined;
    const known = (await this.keyRing()).byKid.get(kid);
    const now = this.options.clock.now();
    if (known || this.options.accessToken.signingKeys.length > 0 || now - this.lastReloadAt < RELOAD_INTERVAL_MS) return known;
    this.lastReloadAt = now;
    const loadedRing = this.ring;
    this.ring = undefined;
    try {
      return (await this.keyRing()).byKid.get(kid);
    } catch (error) {
      // The reload failed (the database is away): keep verifying the tokens of the keys we have.
      this.ring ??= loadedRing;
      throw error;
    }
  }

  /** RFC 7517 JWK Set of the public keys, for `jwks_uri`. */
  async publicJwks(): Promise<{ keys: JWK[] }> {
    return { keys: [...(await this.keyRing()).byKid.values()].map((key) => key.publicJwk) };
  }

  private keyRing(): Promise<KeyRing> {
    this.ring ??= this.loadKeyRing().catch((error: unknown) => {
      this.ring = undefined;
      throw error;
    });
    return this.ring;
  }

  private async loadKeyRing(): Promise<KeyRing> {
    const jwks = this.options.accessToken.signingKeys.length > 0 ? this.options.accessToken.signingKeys : await this.storedJwks();
    const keys = await Promise.all(jwks.map((jwk) => loadKey(jwk, GENERATED_ALG)));
    return { signing: keys[0], byKid: new Map(keys.map((key) => [key.kid, key])) };
  }

  private async storedJwks(): Promise<JsonWebKeyWithKid[]> {
    const stored = await this.store.signingKeysOrFirst(async () => {
      const { privateKey } = await generateKeyPair(GENERATED_ALG, { extractable: true });
      return { kid: randomUUID(), alg: GENERATED_ALG, privateJwk: await exportJWK(privateKey) };
    });
    return stored.map((key) => ({ ...(JSON.parse(key.material) as JsonWebKeyWithKid), kid: key.kid, alg: key.alg }));
  }
}
