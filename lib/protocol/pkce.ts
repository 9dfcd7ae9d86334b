import { createHash } from 'node:crypto';

/* Dependency-free: the server and the CLI kit (lib/client) both use it. */

/** RFC 7636 §4.1: 43–128 characters of the unreserved set. */
export const CODE_VERIFIER_SHAPE = /^[A-Za-z0-9._~-]{43,128}$/;

/** RFC 7636 §4.2: an S256 challenge is the base64url SHA-256 of a verifier, always 43 characters. */
export const S256_CHALLENGE_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
