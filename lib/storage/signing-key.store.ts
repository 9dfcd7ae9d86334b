import type { SigningKey } from '../entities/signing-key.entity';

/** A signing key the module generated: its private JWK is stored as given. */
export interface GeneratedSigningKey {
  kid: string;
  alg: string;
  privateJwk: object;
}

/**
 * Values the module generates once and every instance shares: JWT signing keys, the server secret,
 * and the issuer the stored tokens were made for.
 */
export abstract class SigningKeyStore {
  /** JWT signing keys (`use` "sig"), oldest first: the oldest signs, so every instance agrees on one. */
  abstract listSigningKeys(): Promise<SigningKey[]>;

  /**
   * The signing keys; when there are none, stores the one `generate` makes. Instances starting
   * together must end up with exactly one stored key (e.g. under a lock, looking again after waiting).
   */
  abstract signingKeysOrFirst(generate: () => Promise<GeneratedSigningKey>): Promise<SigningKey[]>;

  /** The stored server secret; the first instance to start stores `candidate`, the rest read it. */
  abstract serverSecret(candidate: string): Promise<string>;

  /** The issuer this storage serves; the first instance to start records `candidate`, the rest read it. */
  abstract recordedIssuer(candidate: string): Promise<string>;
}
