import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Digest under which a high-entropy secret (device code, refresh token, PAT) is stored and looked up. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Keyed digest for low-entropy values (user codes) that a plain hash would not protect. */
export function hmacHex(key: Buffer, value: string): string {
  return hmac(key, value).toString('hex');
}

export function hmac(key: Buffer, value: string): Buffer {
  return createHmac('sha256', key).update(value, 'utf8').digest();
}

/** Constant-time comparison of two strings of any length. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
