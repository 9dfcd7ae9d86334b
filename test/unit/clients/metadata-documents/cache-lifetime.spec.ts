import { cacheLifetimeSeconds } from '../../../../lib/clients/metadata-documents/cache-lifetime';

const bounds = { minCacheSeconds: 60, maxCacheSeconds: 3600 };

describe('how long a fetched metadata document is kept', () => {
  it.each([
    ['max-age within the bounds', 'public, max-age=600', 600],
    ['a quoted max-age', 'max-age="900"', 900],
    ['a max-age above the maximum', 'max-age=86400', 3600],
    ['a max-age below the minimum', 'max-age=5', 60],
    ['no-store', 'no-store', 60],
    ['no-cache with a max-age', 'no-cache, max-age=600', 60],
    ['no header', undefined, 60],
    ['a header without max-age', 'public', 60],
  ])('%s', (_label, header, seconds) => {
    expect(cacheLifetimeSeconds(header, bounds)).toBe(seconds);
  });

  it('honours no-store when the host allows no minimum', () => {
    expect(cacheLifetimeSeconds('no-store', { minCacheSeconds: 0, maxCacheSeconds: 3600 })).toBe(0);
  });
});
