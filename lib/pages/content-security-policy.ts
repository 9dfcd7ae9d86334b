import { DeviceAuthOptionsError } from '../errors/options.error';
import type { PageContentSecurityPolicy } from './device-auth-pages';
import { COPY_SCRIPT_SOURCE, DEFAULT_STYLESHEET_SOURCE } from './html';

const DIRECTIVES: Record<keyof PageContentSecurityPolicy, string> = { styleSrc: 'style-src', imgSrc: 'img-src', fontSrc: 'font-src' };

/** The host's own origin, a hash of an inline style, or an https origin (`*.` subdomains and a path allowed). */
const SOURCES = [
  /^'self'$/,
  /^'sha(256|384|512)-[A-Za-z0-9+/]+={0,2}'$/,
  /^https:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?(\/[A-Za-z0-9._~%/-]*)?$/i,
  /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?(\/[A-Za-z0-9._~%/-]*)?$/i,
];

/** Inline images and fonts cannot run anything; an inline stylesheet could restyle the page to mislead, so not for styles. */
const DATA_ALLOWED: (keyof PageContentSecurityPolicy)[] = ['imgSrc', 'fontSrc'];

function checkSources(directive: keyof PageContentSecurityPolicy, sources: unknown): string[] {
  const option = `pages.contentSecurityPolicy.${directive}`;
  if (!Array.isArray(sources)) throw new DeviceAuthOptionsError(option, 'must be a list of sources');
  for (const source of sources) {
    const allowed =
      typeof source === 'string' &&
      (SOURCES.some((shape) => shape.test(source)) || (source === 'data:' && DATA_ALLOWED.includes(directive)));
    if (!allowed) {
      throw new DeviceAuthOptionsError(
        option,
        `refuses ${JSON.stringify(source)}: allowed are 'self', 'sha256-…' hashes, https origins (http for localhost)${DATA_ALLOWED.includes(directive) ? ' and data:' : ''}; never 'unsafe-inline', wildcards or schemes alone`,
      );
    }
  }
  return sources as string[];
}

/** An origin as `new URL(…).origin` spells an http(s) one: safe to place in a policy as it is. */
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * The pages' Content-Security-Policy: nothing by default, the built-in stylesheet by hash, the
 * built-in copy script by hash on a page that carries it (`copyScript`), what the renderer declares
 * for styles, images and fonts, and never other script, framing or other form targets
 * than this server and `formTargets`: the consent form's POST is answered with a redirect to the
 * app, and browsers hold that redirect to `form-action` too. Throws, naming the option, for any
 * other directive or a source that would weaken the policy.
 */
export function pageContentSecurityPolicy(
  extra: PageContentSecurityPolicy = {},
  formTargets: string[] = [],
  { copyScript = false }: { copyScript?: boolean } = {},
): string {
  if (extra === null || typeof extra !== 'object')
    throw new DeviceAuthOptionsError('pages.contentSecurityPolicy', 'must be an object of styleSrc, imgSrc and fontSrc lists');
  for (const key of Object.keys(extra)) {
    if (!Object.hasOwn(DIRECTIVES, key))
      throw new DeviceAuthOptionsError(
        `pages.contentSecurityPolicy.${key}`,
        'is not allowed: a renderer may add styleSrc, imgSrc and fontSrc only',
      );
  }
  const directives = (Object.keys(DIRECTIVES) as (keyof PageContentSecurityPolicy)[]).flatMap((key) => {
    const sources = new Set([
      ...(key === 'styleSrc' ? [DEFAULT_STYLESHEET_SOURCE] : []),
      ...(extra[key] === undefined ? [] : checkSources(key, extra[key])),
    ]);
    return sources.size > 0 ? [`${DIRECTIVES[key]} ${[...sources].join(' ')}`] : [];
  });
  const formAction = ["'self'", ...formTargets.filter((origin) => ORIGIN.test(origin))].join(' ');
  return [
    "default-src 'none'",
    ...(copyScript ? [`script-src ${COPY_SCRIPT_SOURCE}`] : []),
    ...directives,
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}
