import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { LocalWebServer } from './local-web-server';
import type { TestClock } from './test-clock';

export const JWKS_PATH = '/jwks.json';
export const DISCOVERY_PATH = '/.well-known/openid-configuration';

/** How a test token differs from a good one: its claims, its header, or the key that signs it. */
export interface TokenChanges {
  claims?: JWTPayload;
  header?: Record<string, unknown>;
  /** `unpublished`: a key pair whose public key the issuer's JWKS does not list. */
  key?: 'published' | 'unpublished';
}

/**
 * A workload identity issuer on 127.0.0.1, as a CI system runs one: an OpenID discovery document
 * and a JWK Set, and ID tokens signed with its ES256 key, dated by the app's test clock.
 */
export class WorkloadIssuer {
  readonly server = new LocalWebServer();
  private published!: CryptoKey;
  private unpublished!: CryptoKey;

  constructor(private readonly clock: () => TestClock) {}

  get issuer(): string {
    return this.server.origin;
  }

  get jwksUri(): string {
    return this.server.origin + JWKS_PATH;
  }

  async start(): Promise<void> {
    await this.server.start();
    const [published, unpublished] = await Promise.all([generateKeyPair('ES256', { extractable: true }), generateKeyPair('ES256')]);
    this.published = published.privateKey;
    this.unpublished = unpublished.privateKey;
    const jwks = { keys: [{ ...(await exportJWK(published.publicKey)), kid: 'ci-key-1', alg: 'ES256', use: 'sig' }] };
    this.serveJson(JWKS_PATH, jwks);
    this.serveJson(DISCOVERY_PATH, { issuer: this.issuer, jwks_uri: this.jwksUri, id_token_signing_alg_values_supported: ['ES256'] });
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** A token for `sub` and `aud`, valid for five minutes from the app's now, with a fresh `jti`. */
  token(sub: string, aud: string, changes: TokenChanges = {}): Promise<string> {
    const now = Math.floor(this.clock().now() / 1000);
    const claims = { iss: this.issuer, sub, aud, iat: now, nbf: now, exp: now + 300, jti: randomUUID(), ...changes.claims };
    const key = changes.key === 'unpublished' ? this.unpublished : this.published;
    return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'ci-key-1', typ: 'JWT', ...changes.header }).sign(key);
  }

  private serveJson(path: string, document: object): void {
    this.server.serve(path, (_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document)),
    );
  }
}
