/** What a URL may hold unescaped, as Express's `res.redirect` (encodeurl) leaves it: printable ASCII but space, `"`, `<`, `>`, `\`, `^`, `` ` ``, `{`, `}`; and `%` only as an escape. */
const UNSAFE = /[^\x21\x23-\x3b\x3d\x3f-\x5f\x61-\x7a\x7c\x7e]+|%+(?![0-9A-Fa-f]{2})/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A redirect target as a `Location` value: everything else percent-encoded as UTF-8. Express does
 * this itself and Fastify does not, where Node refuses text outside Latin-1 (a 500) and sends
 * Latin-1 letters as bytes no browser reads as meant; escaping here makes both send the same ASCII.
 * Applying it twice changes nothing, so Express's own pass after it is harmless.
 */
export function locationHeader(url: string): string {
  return url.replace(LONE_SURROGATE, '\ufffd').replace(UNSAFE, encodeURI);
}
