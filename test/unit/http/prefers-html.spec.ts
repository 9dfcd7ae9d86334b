import { prefersHtml } from '../../../lib/http/prefers-html';

describe('prefersHtml: a page for browsers, JSON for everything else', () => {
  it.each([
    ['Chrome and Firefox opening a page', 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8'],
    ['Safari', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'],
    ['HTML only', 'text/html'],
    ['HTML above JSON', 'application/json;q=0.5, text/html'],
    ['any text, JSON not named', 'text/*'],
    ['upper case and spaces', 'TEXT/HTML ; Q=1 , */* ; q=0.1'],
  ])('%s → the page', (_, accept) => {
    expect(prefersHtml(accept)).toBe(true);
  });

  it.each([
    ['no Accept header', undefined],
    ['an empty one', ''],
    ['curl and fetch: anything', '*/*'],
    ['JSON', 'application/json'],
    ['JSON above HTML', 'application/json, text/html;q=0.9'],
    ['HTML and JSON alike', 'text/html, application/json'],
    ['HTML refused', 'text/html;q=0, */*'],
    ['nonsense', 'html, ;;, /, text/html/x'],
    ['a weight out of range', 'text/html;q=2'],
  ])('%s → JSON', (_, accept) => {
    expect(prefersHtml(accept)).toBe(false);
  });
});
