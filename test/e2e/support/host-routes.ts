import request from 'supertest';
import type { AppUnderTest } from './device-flow';

/** The scopes a CLI needs for every host route of the sample app's API. */
export const HOST_API_SCOPES = 'user:read listings:read listings:write';

/** The sample host's own API (not the module's), as a CLI holding `accessToken` calls it. */
export function hostApi(testApp: AppUnderTest, accessToken: string) {
  const bearer = `Bearer ${accessToken}`;
  return {
    me: () => request(testApp.http).get('/api/v1/me').set('Authorization', bearer),
    listings: () => request(testApp.http).get('/api/v1/listings').set('Authorization', bearer),
    createListing: (title: string) =>
      request(testApp.http).post('/api/v1/listings').set('Authorization', bearer).send({ title, priceCents: 1_000 }),
    /** The titles of the user's listings, as the API lists them. */
    listingTitles: async (): Promise<string[]> =>
      ((await request(testApp.http).get('/api/v1/listings').set('Authorization', bearer).expect(200)).body as { title: string }[]).map(
        (listing) => listing.title,
      ),
  };
}
