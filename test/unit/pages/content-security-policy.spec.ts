import { PageContentSecurityPolicy } from '../../../lib';
import { createHash } from 'node:crypto';
import { pageContentSecurityPolicy } from '../../../lib/pages/content-security-policy';
import { COPY_SCRIPT_HTML, COPY_SCRIPT_SOURCE, DEFAULT_STYLESHEET_SOURCE, layout } from '../../../lib/pages/html';

const STYLE_HASH = /^'sha256-[A-Za-z0-9+/]+=*'$/;

/** The base64 SHA-256 of a script as CSP spells a hash source. */
const hashSource = (script: string): string => `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;

describe("the pages' Content-Security-Policy", () => {
  it('allows the built-in stylesheet only, and no script, framing or other form target, by default', () => {
    const [defaultSrc, styleSrc, ...rest] = pageContentSecurityPolicy().split('; ');
    expect(defaultSrc).toBe("default-src 'none'");
    expect(styleSrc).toMatch(/^style-src /);
    expect(styleSrc.slice('style-src '.length)).toMatch(STYLE_HASH);
    expect(rest).toEqual(["form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"]);
  });

  it("adds a renderer's style, image and font sources, once each, and keeps the rest", () => {
    const policy = pageContentSecurityPolicy({
      styleSrc: ["'self'", 'https://cdn.example.com/css/', "'sha256-AAAA'"],
      imgSrc: ['https://*.images.example.com', 'data:', 'data:'],
      fontSrc: ['http://localhost:8080'],
    }).split('; ');
    expect(policy[1]).toMatch(/^style-src '[^']+' 'self' https:\/\/cdn\.example\.com\/css\/ 'sha256-AAAA'$/);
    expect(policy.slice(2)).toEqual([
      'img-src https://*.images.example.com data:',
      'font-src http://localhost:8080',
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ]);
  });

  it('lets a form target the origins it is given (the app a consent answer redirects to), and only well-formed origins', () => {
    const formAction = (targets: string[]) => pageContentSecurityPolicy({}, targets).split('; ')[2];
    expect(formAction(['https://app.example.com', 'http://127.0.0.1:53682', 'http://[::1]:8080'])).toBe(
      "form-action 'self' https://app.example.com http://127.0.0.1:53682 http://[::1]:8080",
    );
    expect(formAction(['https://x.example;script-src', "https://a.example 'unsafe-inline'", 'javascript:', 'null'])).toBe(
      "form-action 'self'",
    );
  });

  it.each<[string, PageContentSecurityPolicy | Record<string, unknown>, RegExp]>([
    ["'unsafe-inline' styles", { styleSrc: ["'unsafe-inline'"] }, /"pages.contentSecurityPolicy.styleSrc" refuses "'unsafe-inline'"/],
    ["'unsafe-eval'", { imgSrc: ["'unsafe-eval'"] }, /"pages.contentSecurityPolicy.imgSrc" refuses/],
    ['a nonce', { styleSrc: ["'nonce-abc'"] }, /"pages.contentSecurityPolicy.styleSrc" refuses/],
    ['any source', { imgSrc: ['*'] }, /"pages.contentSecurityPolicy.imgSrc" refuses "\*"/],
    ['a scheme alone', { fontSrc: ['https:'] }, /"pages.contentSecurityPolicy.fontSrc" refuses "https:"/],
    ['a plain-http origin off localhost', { styleSrc: ['http://cdn.example.com'] }, /"pages.contentSecurityPolicy.styleSrc" refuses/],
    ['data: stylesheets', { styleSrc: ['data:'] }, /"pages.contentSecurityPolicy.styleSrc" refuses "data:"/],
    [
      'a source smuggling another directive',
      { styleSrc: ["https://cdn.example.com; script-src 'unsafe-inline'"] },
      /"pages.contentSecurityPolicy.styleSrc" refuses/,
    ],
    [
      'a source with a space',
      { styleSrc: ['https://a.example.com https://b.example.com'] },
      /"pages.contentSecurityPolicy.styleSrc" refuses/,
    ],
    ['a list that is a string', { styleSrc: 'https://cdn.example.com' }, /"pages.contentSecurityPolicy.styleSrc" must be a list/],
    ['script sources', { scriptSrc: ['https://cdn.example.com'] }, /"pages.contentSecurityPolicy.scriptSrc" is not allowed/],
    ['framing', { frameAncestors: ['https://evil.example.com'] }, /"pages.contentSecurityPolicy.frameAncestors" is not allowed/],
    ['default sources', { defaultSrc: ["'self'"] }, /"pages.contentSecurityPolicy.defaultSrc" is not allowed/],
  ])('refuses %s, naming the option', (_label, extra, message) => {
    expect(() => pageContentSecurityPolicy(extra as PageContentSecurityPolicy)).toThrow(message);
  });
});

describe('the hashes the policy allows', () => {
  it('are the SHA-256 of the inline stylesheet and of the copy script exactly as every page sends them', () => {
    const page = layout('en', 'Title', `<p>body</p>\n${COPY_SCRIPT_HTML}`);
    const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1]);
    const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]);
    expect(styles.map(hashSource)).toEqual([DEFAULT_STYLESHEET_SOURCE]);
    expect(scripts.map(hashSource)).toEqual([COPY_SCRIPT_SOURCE]);
  });

  it('name the copy script only on a page that carries it, and next to the rest of the policy unchanged', () => {
    const [defaultSrc, scriptSrc, ...rest] = pageContentSecurityPolicy({}, [], { copyScript: true }).split('; ');
    expect(defaultSrc).toBe("default-src 'none'");
    expect(scriptSrc).toBe(`script-src ${COPY_SCRIPT_SOURCE}`);
    expect(rest.join('; ')).toBe(pageContentSecurityPolicy().split('; ').slice(1).join('; '));
    expect(pageContentSecurityPolicy()).not.toContain('script-src');
  });

  it('allow no script a renderer could add: another inline script has no hash in the policy, and nothing loosens it', () => {
    const policy = pageContentSecurityPolicy({}, [], { copyScript: true });
    expect(policy).not.toContain(hashSource('alert(1)'));
    expect(policy).not.toMatch(/'unsafe-inline'|'unsafe-hashes'|'strict-dynamic'|'nonce-/);
  });
});
