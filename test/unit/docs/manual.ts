import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's root, where README.md and docs/ live. */
export const ROOT = join(__dirname, '..', '..', '..');

/** The manual: the README's quick start and one guide per capability under docs/, as paths from the root. */
export function manualFiles(): string[] {
  const guides = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md'));
  return ['README.md', ...guides.sort().map((name) => `docs/${name}`)];
}

export function readManual(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}

/** The text a reader sees as prose: fenced code blocks removed (their brackets and `#` lines are code, not links or headings). */
export function withoutFencedCode(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .filter((line) => {
      const fence = line.trimStart().startsWith('```');
      if (fence) fenced = !fenced;
      return !fenced && !fence;
    })
    .join('\n');
}

/** Code spans of the prose, `like this` or ``like `this` ``. */
export function codeSpans(prose: string): string[] {
  return [...prose.matchAll(/(`+)([^`][\s\S]*?)\1/g)].map((match) => match[2].trim());
}

/** GitHub's anchor for a heading: the rendered text lowercased, punctuation but `-` and `_` dropped, each space a `-`. */
export function githubSlug(heading: string): string {
  const rendered = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]*>/g, '');
  return rendered
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}_ -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a page's headings; a repeated heading gets `-1`, `-2`, … as on GitHub. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, text] of withoutFencedCode(markdown).matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const slug = githubSlug(text);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The targets of the prose's inline links, `[text](target)`, code spans left out. */
export function linkTargets(markdown: string): string[] {
  const prose = withoutFencedCode(markdown).replace(/(`+)[^`][\s\S]*?\1/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)(?: +"[^"]*")?\)/g)].map((match) => match[1]);
}

/** The rows of docs/options.md's table: option name (a call's `(…)` dropped) → its default as written. */
export function optionsTableRows(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const [, name, value] of readManual('docs/options.md').matchAll(/^\| `([^`]+)` \| ([^|]+) \|/gm)) {
    rows.set(name.replace(/\(.*\)$/, ''), value);
  }
  return rows;
}
