import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { SigningKeys } from './signing-keys.service';

/** How the user signed in, as an ID token tells it (OIDC Core §2). */
export interface SignIn {
  /** When the user approved, in epoch milliseconds: the `auth_time` claim. */
  approvedAt: number;
  /** The authorization request's `nonce`, echoed so the app can bind the token to its request. */
  nonce?: string | null;
}

/** OIDC Core §3.1.3.6: the hash that `at_hash` halves follows the signing algorithm's hash. */
function hashOfAlgorithm(alg: string): string {
  if (alg.endsWith('384')) return 'sha384';
  if (alg.endsWith('512') || alg === 'EdDSA') return 'sha512';
  return 'sha256';
}

/** The left half of the access token's hash, base64url (OIDC Core §3.1.3.6). */
export function accessTokenHash(accessToken: string, alg: string): string {
  const digest = createHash(hashOfAlgorithm(alg)).update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** OpenID Connect ID tokens, signed with the same keys as access tokens (and so verifiable with the JWKS). */
@Injectable()
export class IdTokens {
  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly keys: SigningKeys,
  ) {}

  async mint(clientId: string, userId: string, signIn: SignIn, accessToken: string, ttl: number): Promise<string> {
    const key = await this.keys.signingKey();
    const issuedAt = Math.floor(this.options.clock.now() / 1000);
    const claims = {
      auth_time: Math.floor(signIn.approvedAt / 1000),
      at_hash: accessTokenHash(accessToken, key.alg),
      ...(signIn.nonce ? { nonce: signIn.nonce } : {}),
    };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, typ: 'JWT', kid: key.kid })
      .setIssuer(this.options.issuer)
      .setSubject(userId)
      .setAudience(clientId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttl)
      .sign(key.privateKey);
  }
}
