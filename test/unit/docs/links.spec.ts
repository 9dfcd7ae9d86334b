import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { headingAnchors, linkTargets, manualFiles, readManual, ROOT } from './manual';

/** Where a relative link of `file` leads, or why it leads nowhere. */
function brokenLink(file: string, target: string): string | undefined {
  const [path, anchor] = target.split('#', 2);
  const page = path === '' ? file : normalize(join(dirname(file), decodeURIComponent(path)));
  if (page.startsWith('..') || !existsSync(join(ROOT, page))) return `${target}: no file ${page}`;
  if (anchor === undefined) return undefined;
  if (!page.endsWith('.md') || statSync(join(ROOT, page)).isDirectory()) return `${target}: ${page} has no headings`;
  return headingAnchors(readManual(page)).has(anchor) ? undefined : `${target}: no heading #${anchor} in ${page}`;
}

describe('the manual (README.md and docs/*.md)', () => {
  it.each(manualFiles())('%s: every relative link leads to a file that exists, and every #anchor to a heading of it', (file) => {
    const relative = linkTargets(readManual(file)).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
    expect(relative.map((target) => brokenLink(file, target)).filter((problem) => problem !== undefined)).toEqual([]);
  });

  it('links every guide under docs/ from the index, docs/README.md, and the index from the README', () => {
    const indexed = new Set(linkTargets(readManual('docs/README.md')).map((target) => `docs/${target.split('#')[0]}`));
    const guides = manualFiles().filter((file) => file.startsWith('docs/') && file !== 'docs/README.md');
    expect(guides.filter((guide) => !indexed.has(guide))).toEqual([]);
    expect(linkTargets(readManual('README.md'))).toContain('docs/README.md');
  });
});
