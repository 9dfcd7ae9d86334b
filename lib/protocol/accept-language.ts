/* Dependency-free: the server's pages and the CLI kit's loopback page both read it. */

/** The languages of an Accept-Language header (RFC 9110 §12.5.4), most preferred first, lower case; `q=0` and `*` left out. */
export function preferredLanguages(acceptLanguage: string): string[] {
  return acceptLanguage
    .split(',')
    .map((entry, position) => {
      const [tag, ...parameters] = entry.trim().toLowerCase().split(';');
      const q = parameters.map((parameter) => /^\s*q=([01](\.\d{0,3})?)\s*$/.exec(parameter)?.[1]).find((value) => value !== undefined);
      return { tag: tag.trim(), weight: q === undefined ? 1 : Number(q), position };
    })
    .filter(({ tag, weight }) => tag !== '' && tag !== '*' && weight > 0)
    .sort((a, b) => b.weight - a.weight || a.position - b.position)
    .map(({ tag }) => tag);
}
