import request from 'supertest';
import { useTestApp } from './support/test-app';
import { expectPageSecurityHeaders, headingOf } from './support/verification-page';

describe('unknown addresses under the pages', () => {
  const testApp = useTestApp();
  const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

  it.each(['/oauth/device/whatever', '/oauth/device/a/b?user_code=BCDF-GHJK', '/o/authorize/x', '/settings/tokens/nothing'])(
    'answer a browser at %s with a 404 page that leads home',
    async (path) => {
      const page = await request(testApp.http).get(path).set('Accept', BROWSER_ACCEPT).expect(404);
      expect(page.type).toBe('text/html');
      expectPageSecurityHeaders(page);
      expect(headingOf(page.text)).toBe('Page not found');
      expect(page.text).toContain('<a href="/">Go to the home page</a>');
    },
  );

  it.each([
    ['a JSON client', 'application/json'],
    ['a client that accepts anything', '*/*'],
    ['a client that sends no Accept', undefined],
  ])('keep answering %s in JSON', async (_, accept) => {
    const get = request(testApp.http).get('/oauth/device/whatever');
    const response = await (accept === undefined ? get : get.set('Accept', accept)).expect(404);
    expect(response.type).toBe('application/json');
    expect(response.body.statusCode).toBe(404);
  });

  it('leave the host’s own paths to the host', async () => {
    const response = await request(testApp.http).get('/api/v1/nothing-here').set('Accept', BROWSER_ACCEPT).expect(404);
    expect(response.type).toBe('application/json');
  });
});
