/** RFC 9110 §5.6.2 token characters. */
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

/** A User-Agent's first product (RFC 9110 §10.1.5): `name` or `name/version`, then a space or the end. */
const FIRST_PRODUCT = new RegExp(`^(${TOKEN})(?:/(${TOKEN}))?(?: |$)`);

/**
 * What a device says it is, for the confirm page: the first product of its User-Agent, as
 * `acme-cli 1.4.0` (`acme-cli/1.4.0 nest-device-auth/1.0.0 node/22.1.0 linux`) or `curl 8.5.0`. A
 * browser's `Mozilla/5.0 (…)` names no product worth reading, and a header that starts with no
 * product names nothing: both are shown whole.
 */
export function deviceSoftware(userAgent: string | null): string | null {
  if (userAgent === null) return null;
  const product = FIRST_PRODUCT.exec(userAgent);
  if (product === null || product[1].toLowerCase() === 'mozilla') return userAgent;
  return product[2] === undefined ? product[1] : `${product[1]} ${product[2]}`;
}
