import request from 'supertest';
import { DataSource } from 'typeorm';
import { callMe, deviceLogin, refresh } from './support/device-flow';
import { sharedDatabase } from './support/instance-pair';
import { bootTestApp, SharedDatabase, TestApp } from './support/test-app';

const FIRST_ISSUER = 'http://localhost:3000';
const OTHER_ISSUER = 'http://localhost:4000';

// Instances on one database (an SQLite file, or a PostgreSQL schema with DATABASE_URL) booted in
// this process, one after the other.
describe('one issuer per database: the first instance records it, an instance with another refuses to start', () => {
  let database: SharedDatabase;
  let removeDatabase: () => Promise<void>;
  let first: TestApp;
  beforeEach(async () => {
    ({ database, remove: removeDatabase } = await sharedDatabase());
    first = await bootTestApp({ sharedDatabase: database, issuer: FIRST_ISSUER });
  });
  afterEach(async () => {
    await first?.close();
    await removeDatabase?.();
  });

  it('refuses to start with another issuer, naming both and how to fix it, while the first serves on', async () => {
    const login = await deviceLogin(first);

    const refusal = bootTestApp({ sharedDatabase: database, issuer: OTHER_ISSUER });
    await expect(refusal).rejects.toThrow(
      `nest-device-auth: option "issuer" is "${OTHER_ISSUER}", but this database serves the issuer "${FIRST_ISSUER}"`,
    );
    await expect(refusal).rejects.toThrow(`start this one with issuer "${FIRST_ISSUER}"`);
    await expect(refusal).rejects.toThrow("DELETE FROM device_auth_signing_keys WHERE kid = 'issuer'");

    await callMe(first, login.access_token).expect(200);
    await refresh(first, login.refresh_token).expect(200);
  });

  it('starts another instance with the same issuer, which accepts the tokens of the first', async () => {
    const login = await deviceLogin(first);
    const second = await bootTestApp({ sharedDatabase: database, issuer: FIRST_ISSUER, clock: first.clock });
    try {
      expect((await callMe(second, login.access_token).expect(200)).body.username).toBe('alice');
      await refresh(second, login.refresh_token).expect(200);
    } finally {
      await second.close();
    }
  });

  it('moves to a new issuer as the refusal says: every instance stopped, the recorded issuer deleted', async () => {
    const login = await deviceLogin(first);
    await first.app.get(DataSource).query("DELETE FROM device_auth_signing_keys WHERE kid = 'issuer'");
    await first.close();

    first = await bootTestApp({ sharedDatabase: database, issuer: OTHER_ISSUER });
    const metadata = await request(first.http).get('/.well-known/oauth-authorization-server').expect(200);
    expect(metadata.body.issuer).toBe(OTHER_ISSUER);
    // The old issuer's access token is refused; its refresh token gets one of the new issuer.
    await callMe(first, login.access_token).expect(401);
    const refreshed = await refresh(first, login.refresh_token).expect(200);
    await callMe(first, refreshed.body.access_token).expect(200);
    await expect(bootTestApp({ sharedDatabase: database, issuer: FIRST_ISSUER })).rejects.toThrow(
      `this database serves the issuer "${OTHER_ISSUER}"`,
    );
  });
});
