import { deviceSoftware } from '../../../lib/verification/device-software';

describe('what the confirm page names as the device’s software', () => {
  it.each([
    ['the client kit’s User-Agent, by its first product', 'acme-cli/1.4.0 nest-device-auth/0.1.0 node/22.11.0 linux', 'acme-cli 1.4.0'],
    ['a product with a comment', 'sample-cli/1.2 (linux; x64)', 'sample-cli 1.2'],
    ['curl', 'curl/8.5.0', 'curl 8.5.0'],
    ['a product without a version', 'node', 'node'],
    ['a browser, whole', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0'],
    ['a header that starts with no product, whole', '(compatible; bot)', '(compatible; bot)'],
    ['a header with markup, whole (the page escapes it)', 'evil"><script>', 'evil"><script>'],
  ])('names %s', (_, userAgent, shown) => {
    expect(deviceSoftware(userAgent)).toBe(shown);
  });

  it('names nothing for a device that sent no User-Agent', () => {
    expect(deviceSoftware(null)).toBeNull();
  });
});
