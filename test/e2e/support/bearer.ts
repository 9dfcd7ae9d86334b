import { decodeJwt, decodeProtectedHeader, JWTPayload, ProtectedHeaderParameters, SignJWT } from 'jose';
import { SigningKeys } from '../../../lib/tokens/signing-keys.service';
import type { TestApp } from './test-app';

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** `Bearer realm="x", error="y"` → `{ scheme: 'Bearer', params: { realm: 'x', error: 'y' } }`. */
export function parseChallenge(header: string | undefined): Challenge {
  if (header === undefined) throw new Error('the response has no WWW-Authenticate header');
  const [scheme] = header.split(' ', 1);
  const params: Record<string, string> = {};
  for (const [, name, value] of header.slice(scheme.length).matchAll(/([a-z_]+)="([^"]*)"/g)) params[name] = value;
  return { scheme, params };
}

/** The server's own JWT signing key (private), as the module loaded it. */
export function serverSigningKey(testApp: TestApp) {
  return testApp.app.get(SigningKeys, { strict: false }).signingKey();
}

export interface Changes {
  header?: Partial<ProtectedHeaderParameters>;
  claims?: JWTPayload;
}

/**
 * A copy of a real access token re-signed with the server's own key after `changes`: what an
 * attacker holding the key could mint. With no changes it must be accepted (the positive control).
 */
export async function reSigned(testApp: TestApp, token: string, changes: Changes = {}): Promise<string> {
  const key = await serverSigningKey(testApp);
  const header = { ...decodeProtectedHeader(token), ...changes.header } as ProtectedHeaderParameters & { alg: string };
  return new SignJWT({ ...decodeJwt(token), ...changes.claims }).setProtectedHeader(header).sign(key.privateKey);
}

/** An `alg: none` JWT with the given header members and claims, and an empty signature. */
export function unsignedJwt(header: Record<string, unknown>, claims: JWTPayload): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ ...header, alg: 'none' })}.${part(claims)}.`;
}
