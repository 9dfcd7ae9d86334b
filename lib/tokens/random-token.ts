import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 30 base62 characters carry 178 bits, above the 160 the token format promises. */
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
const SEED_BYTES = 32;

function base62Checksum(body: string): string {
  let value = crc32(body);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

/** 30 base62 characters from 256 random or keyed bits (the bias of reducing 2^256 mod 62^30 is negligible). */
function base62FromSeed(seed: Buffer): string {
  let value = BigInt('0x' + seed.toString('hex'));
  let out = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) {
    out += BASE62[Number(value % 62n)];
    value /= 62n;
  }
  return out;
}

function withChecksum(body: string): string {
  return body + base62Checksum(body);
}

/**
 * `prefix` + base62 random + 6 base62 characters of the CRC32 of everything before them. The
 * random part is 256 CSPRNG bits in one draw, not one draw per character: a token costs one call.
 */
export function generateToken(prefix: string): string {
  return withChecksum(prefix + base62FromSeed(randomBytes(SEED_BYTES)));
}

/** A token of the same format whose random part comes from a 32-byte seed (an HMAC), so it can be derived again. */
export function deriveToken(prefix: string, seed: Buffer): string {
  if (seed.length < SEED_BYTES) throw new Error('deriveToken needs a seed of at least 32 bytes');
  return withChecksum(prefix + base62FromSeed(seed));
}

/** True when the value has the prefix, the shape and a matching checksum: a cheap check before any lookup. */
export function hasValidChecksum(value: string, prefix: string): boolean {
  if (!value.startsWith(prefix) || value.length !== prefix.length + RANDOM_LENGTH + CHECKSUM_LENGTH) return false;
  const body = value.slice(0, -CHECKSUM_LENGTH);
  if (!/^[0-9A-Za-z]+$/.test(body.slice(prefix.length))) return false;
  return base62Checksum(body) === value.slice(-CHECKSUM_LENGTH);
}
