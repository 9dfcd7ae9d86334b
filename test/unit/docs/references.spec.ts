import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { codeSpans, manualFiles, optionsTableRows, readManual, ROOT, withoutFencedCode } from './manual';

/** A code span naming a file of the repository, e.g. `test/e2e/crash.e2e.spec.ts` or `sample-app/cli/`. */
const REPOSITORY_PATH = /^(?:lib|test|sample-app|\.ci)\/[^\s<>*]*$/;
/** A code span naming a nested option, e.g. `refreshToken.ttl`, `resources[].resource` or `accessToken.audience: '…'`. */
const NESTED_OPTION = /^([A-Za-z]+(?:\[\])?)\.([A-Za-z]+)/;

describe('what the manual (README.md and docs/*.md) names', () => {
  it.each(manualFiles())('%s: every file of the repository it names exists', (file) => {
    const paths = codeSpans(withoutFencedCode(readManual(file))).filter((span) => REPOSITORY_PATH.test(span));
    expect(paths.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  it.each(manualFiles())('%s: every nested option it names is a row of docs/options.md', (file) => {
    const options = new Set(optionsTableRows().keys());
    const groups = new Set([...options].filter((name) => name.includes('.')).map((name) => name.split('.')[0]));
    const named = codeSpans(withoutFencedCode(readManual(file))).flatMap((span) => {
      const match = NESTED_OPTION.exec(span);
      return match !== null && groups.has(match[1]) ? [`${match[1]}.${match[2]}`] : [];
    });
    expect(named.filter((name) => !options.has(name))).toEqual([]);
  });
});
