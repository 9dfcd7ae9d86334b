/** One media range of an Accept header (RFC 9110 §12.5.1): `type/subtype` (either may be `*`) and its weight. */
interface MediaRange {
  type: string;
  subtype: string;
  quality: number;
}

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of accept.split(',')) {
    const [range, ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const [type, subtype, ...extra] = range.split('/');
    if (!type || !subtype || extra.length > 0) continue;
    const q = parameters.find((parameter) => /^q\s*=/.test(parameter));
    const quality = q === undefined ? 1 : Number(q.slice(q.indexOf('=') + 1).trim());
    if (Number.isFinite(quality) && quality >= 0 && quality <= 1) ranges.push({ type, subtype, quality });
  }
  return ranges;
}

/** The weight the header gives `type/subtype`: that of the most specific range matching it, 0 when none does. */
function qualityOf(ranges: MediaRange[], type: string, subtype: string): number {
  let best: { specificity: number; quality: number } = { specificity: 0, quality: 0 };
  for (const range of ranges) {
    const specificity =
      range.type === type && range.subtype === subtype ? 3 : range.type === type && range.subtype === '*' ? 2 : range.type === '*' ? 1 : 0;
    if (specificity > best.specificity) best = { specificity, quality: range.quality };
  }
  return best.quality;
}

/**
 * Whether a request wants an HTML page rather than JSON: its Accept header weighs `text/html`
 * above `application/json`. A browser navigating or submitting a form sends
 * `text/html,…,*\/*;q=0.8`; API clients send `application/json`, `*\/*` or nothing, which all
 * keep JSON, so a script is never handed a page it cannot read.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const ranges = parseAccept(accept);
  return qualityOf(ranges, 'text', 'html') > qualityOf(ranges, 'application', 'json');
}
