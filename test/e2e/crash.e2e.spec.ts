import { decodeJwt } from 'jose';
import { sha256Hex } from '../../lib/tokens/hashing';
import { authorizeQuery, consent, pkce, redirectParameters } from './support/code-flow';
import { AppUnderTest, callMe, decideInBrowser, DEVICE_GRANT, signedInBrowser, startDeviceAuthorization } from './support/device-flow';
import { present } from './support/present';
import { OwnDatabase, ownDatabase, SampleAppProcess } from './support/sample-app-process';

/** Of each kind: approved device codes, refresh families and authorization codes in the burst. */
const EACH = 30;
/** The process dies when this many answers of the burst have arrived: the rest are in flight or not yet read. */
const KILL_AFTER_ANSWERS = 12;

/** What a client saw of its request: the answer, or nothing (the connection died with the process). */
type Outcome = { status: number; body: Record<string, string> } | 'lost';

interface TokenAnswer {
  access_token: string;
  refresh_token: string;
}

function postToken(app: AppUnderTest, form: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
  return fetch(`${app.http}/o/token/`, { method: 'POST', body: new URLSearchParams(form) }).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as Record<string, string>,
  }));
}

/** Sends every request at once and kills the process when `killAfter` answers are in; resolves once each request has its outcome. */
async function burstThenKill(
  sends: (() => Promise<{ status: number; body: Record<string, string> }>)[],
  killAfter: number,
  kill: () => Promise<void>,
) {
  let answered = 0;
  let killed: Promise<void> | undefined;
  const outcomes = await Promise.all(
    sends.map((send) =>
      send().then(
        (answer): Outcome => {
          if (++answered === killAfter) killed = kill();
          return answer;
        },
        (): Outcome => 'lost',
      ),
    ),
  );
  await (killed ?? kill());
  return outcomes;
}

const grantOf = (accessToken: string) => decodeJwt(accessToken).grant_id;

/**
 * `kill -9` in the middle of a burst of device-code polls, refresh rotations and code redemptions
 * on a real sample-app process (as `npm start` runs it), then a restart on the same database: every
 * state change is whole or absent, and every client whose answer was lost can go on. On an SQLite
 * file, or on PostgreSQL (a schema of its own) when DATABASE_URL says so; HTTP_PLATFORM picks the platform.
 */
describe('kill -9 during a burst of polls, refreshes and code redemptions, then a restart', () => {
  jest.setTimeout(180_000);
  let database: OwnDatabase;
  let running: SampleAppProcess | undefined;
  beforeAll(async () => {
    database = await ownDatabase('crash');
  });
  afterAll(async () => {
    await running?.kill();
    await database?.remove();
  });

  it('leaves no half-written change, and every client that lost its answer ends with a working session', async () => {
    running = await SampleAppProcess.start(database);
    const before: AppUnderTest = { http: running.baseUrl };
    const alice = await signedInBrowser(before, 'alice');

    // Approved device codes not yet polled; refresh families with their first token unused; codes not yet redeemed.
    const deviceCodes: string[] = [];
    const familyTokens: string[] = [];
    for (let i = 0; i < 2 * EACH; i++) {
      const start = await startDeviceAuthorization(before);
      await decideInBrowser(alice, start.user_code, 'approve');
      if (i < EACH) deviceCodes.push(start.device_code);
      else
        familyTokens.push(
          (await postToken(before, { grant_type: DEVICE_GRANT, device_code: start.device_code, client_id: 'sample-cli' })).body
            .refresh_token,
        );
    }
    const authorizationCodes: Record<string, string>[] = [];
    for (let i = 0; i < EACH; i++) {
      const { verifier, challenge } = pkce();
      const query = authorizeQuery(challenge);
      const code = present(redirectParameters(await consent(alice, query, 'approve')).get('code'), 'a code');
      authorizationCodes.push({
        grant_type: 'authorization_code',
        code,
        redirect_uri: query.redirect_uri,
        code_verifier: verifier,
        client_id: 'sample-cli',
      });
    }

    const poll = (deviceCode: string) => ({ grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: 'sample-cli' });
    const rotate = (refreshToken: string) => ({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'sample-cli' });
    const forms = [...deviceCodes.map(poll), ...familyTokens.map(rotate), ...authorizationCodes];
    const app = running;
    const outcomes = await burstThenKill(
      forms.map((form) => () => postToken(before, form)),
      KILL_AFTER_ANSWERS,
      () => app.kill(),
    );
    const polled = outcomes.slice(0, EACH);
    const rotated = outcomes.slice(EACH, 2 * EACH);
    const redeemed = outcomes.slice(2 * EACH);
    // The kill came mid-burst: some answers arrived, others were lost with the process.
    expect(outcomes.filter((outcome) => outcome === 'lost').length).toBeGreaterThan(0);
    expect(outcomes.filter((outcome) => outcome !== 'lost').length).toBeGreaterThanOrEqual(KILL_AFTER_ANSWERS);

    running = await SampleAppProcess.start(database, running.port);
    const after: AppUnderTest = { http: running.baseUrl };

    // In SQL, as an operator would look: nothing half-written.
    expect(
      await database.query(`SELECT family_id FROM device_auth_refresh_tokens
        WHERE consumed_at IS NULL AND revoked_at IS NULL GROUP BY family_id HAVING COUNT(*) > 1`),
    ).toEqual([]);
    expect(
      await database.query(`SELECT g.id FROM device_auth_grants g WHERE g.user_id IS NOT NULL AND g.revoked_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM device_auth_refresh_tokens r WHERE r.family_id = g.id)`),
    ).toEqual([]);
    expect(
      await database.query(`SELECT d.id FROM device_auth_device_authorizations d WHERE d.status = 'consumed'
        AND NOT EXISTS (SELECT 1 FROM device_auth_grants g WHERE g.id = d.grant_id)`),
    ).toEqual([]);
    expect(
      await database.query(`SELECT c.id FROM device_auth_authorization_codes c WHERE c.redeemed_at IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM device_auth_grants g WHERE g.id = c.grant_id)`),
    ).toEqual([]);
    // One grant per family, per exchanged device code and per redeemed code: never a second one.
    const [counts] = await database.query<{ grants: string | number; exchanged: string | number; codes: string | number }>(
      `SELECT (SELECT COUNT(*) FROM device_auth_grants) AS grants,
        (SELECT COUNT(*) FROM device_auth_device_authorizations WHERE status = 'consumed') AS exchanged,
        (SELECT COUNT(*) FROM device_auth_authorization_codes WHERE redeemed_at IS NOT NULL) AS codes`,
    );
    expect(Number(counts.grants)).toBe(Number(counts.exchanged) + Number(counts.codes));

    // Every device polls again and gets a session; one that had its answer gets that same session.
    for (const [index, deviceCode] of deviceCodes.entries()) {
      const again = await postToken(after, poll(deviceCode));
      expect(again.status).toBe(200);
      const first = polled[index];
      if (first !== 'lost') {
        expect(first.status).toBe(200);
        expect(again.body.refresh_token).toBe(first.body.refresh_token);
        expect(grantOf(again.body.access_token)).toBe(grantOf(first.body.access_token));
      }
      await callMe(after, again.body.access_token).expect(200);
    }

    // Every CLI refreshes with the token it holds: the successor if the answer arrived, else the parent again.
    for (const [index, parent] of familyTokens.entries()) {
      const first = rotated[index];
      const held = first === 'lost' ? parent : (first.body as unknown as TokenAnswer).refresh_token;
      if (first !== 'lost') expect(first.status).toBe(200);
      const next = await postToken(after, rotate(held));
      expect(next.status).toBe(200);
      await callMe(after, next.body.access_token).expect(200);
    }

    // An authorization code stays single use: one whose answer was lost redeems now if its exchange never
    // committed; if it did, the app signs in again.
    for (const [index, form] of authorizationCodes.entries()) {
      const first = redeemed[index];
      if (first !== 'lost') {
        expect(first.status).toBe(200);
        await callMe(after, first.body.access_token).expect(200);
        continue;
      }
      const [stored] = await database.query<{ redeemed: string | number }>(
        `SELECT COUNT(*) AS redeemed FROM device_auth_authorization_codes WHERE redeemed_at IS NOT NULL AND grant_id IS NOT NULL
         AND code_hash = '${sha256Hex(form.code)}'`,
      );
      const again = await postToken(after, form);
      expect(again.status).toBe(Number(stored.redeemed) === 1 ? 400 : 200);
    }

    // Still no family with two live tokens after everyone went on.
    expect(
      await database.query(`SELECT family_id FROM device_auth_refresh_tokens
        WHERE consumed_at IS NULL AND revoked_at IS NULL GROUP BY family_id HAVING COUNT(*) > 1`),
    ).toEqual([]);
  });
});
